using System.Globalization;
using McpPlanServer.Cli.Composition;
using McpPlanServer.Cli.Security;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Cli.Commands;

/// <summary>The person's commands: the only way to approve, request changes, complete or abandon a plan.</summary>
public sealed class OwnerCommands(PlanServices services, TextWriter output, TimeProvider clock, AgentSessionReport session)
{
    /// <summary>The commands that decide for the person: refused inside an agent session.</summary>
    public static readonly IReadOnlySet<string> Decisions = new HashSet<string>(StringComparer.Ordinal) { "approve", "request-changes", "complete", "abandon", "repair", "integrate", "release" };

    private PlanWorkflow Workflow => services.Workflow;

    public int Status(string? state)
    {
        PlanFolder? folder = null;
        if (state is not null)
        {
            folder = WireNames.TryParseFolder(state, out var parsed)
                ? parsed
                : throw new UsageException($"--state {state}: use review, active or completed.");
        }

        var plans = Workflow.ListPlans(folder);
        if (plans.Count == 0)
        {
            output.WriteLine($"No plans in {services.Store.PlansRoot}. The planner creates one with write_plan.");
            WriteBadFiles(Workflow.BadFiles(readEveryPlan: false));
            return 0;
        }

        // Issue 19 item 2: with a remote configured, say per plan which recorded commits are only on this machine.
        var publisher = Workflow.Publisher;
        string[] headers = ["ID", "STATE", "SUB-STATUS", "STEPS", "SCORE", "ITER", "AGE", "READINESS", "BRANCH"];
        var table = new TextTable(publisher is null ? headers : [.. headers, "REMOTE"]);
        var now = clock.GetUtcNow();
        foreach (var plan in plans)
        {
            var status = plan.Problem is null ? plan.Status.ToWireName() : "unusable (see below)";
            if (plan.Problem is null && plan.Folder == PlanFolder.Active && !plan.ApprovalValid)
            {
                status += " (unapproved)";
            }
            else if (plan.ApprovalWarning is not null && plan.Folder == PlanFolder.Active)
            {
                status += " (flagged approval)";
            }

            string[] cells =
            [
                plan.Id,
                plan.Folder.ToWireName(),
                status,
                $"{plan.StepsDone}/{plan.StepCount}",
                plan.LastScore?.ToString("0.0", CultureInfo.InvariantCulture) ?? "-",
                plan.Iterations.ToString(CultureInfo.InvariantCulture),
                Age.Since(plan.UpdatedAt, now),
                plan.Readiness ?? "-",
                Workflow.BranchOf(plan.Id) ?? "-",
            ];
            table.Add(publisher is null ? cells : [.. cells, RemoteCell(publisher, plan)]);
        }

        output.Write(table.ToString());
        WriteEditsAroundHooks(plans);
        WriteBadFiles(Workflow.BadFiles(readEveryPlan: true));
        return 0;
    }

    /// <summary>Edits the implementer's hook would have denied, since each active plan's approval: the after-the-fact layer for clients without hooks.</summary>
    private void WriteEditsAroundHooks(IReadOnlyList<PlanSummary> plans)
    {
        var edits = plans.Where(plan => plan.Folder == PlanFolder.Active && plan.Problem is null)
            .SelectMany(plan => Workflow.EditsAroundHooks(Workflow.ReadPlan(plan.Id)))
            .Distinct()
            .ToList();
        if (edits.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine("Edits a hook would have denied (since the active plans' approvals):");
        foreach (var edit in edits)
        {
            output.WriteLine("  " + edit.Describe());
        }
    }

    /// <summary>
    /// The REMOTE column: "-" without recorded step commits, "pushed" when every one is on the remote, else how many are
    /// not. From the record, not from this clone's branch: another machine's commits count once this clone fetched them.
    /// </summary>
    private string RemoteCell(IBranchPublisher publisher, PlanSummary plan)
    {
        if (plan.Problem is not null)
        {
            return "-";
        }

        var loaded = Workflow.ReadPlan(plan.Id);
        if (!loaded.Record.Steps.Any(step => step.Commits.Count > 0))
        {
            return "-";
        }

        var missing = BranchPublishing.CommitsNotOnRemote(publisher, loaded);
        return missing.Count == 0 ? "pushed" : $"{missing.Count} not pushed";
    }

    /// <summary><c>mcpplan doctor</c>: every file of the plans root that cannot be used, what is wrong and how to repair it. Exit 1 when there is one.</summary>
    public int Doctor()
    {
        var bad = Workflow.BadFiles(readEveryPlan: true);
        if (bad.Count == 0)
        {
            output.WriteLine($"No bad files in {services.Store.PlansRoot}: no links, every record and plan text reads, every plan is in one folder.");
            return 0;
        }

        WriteBadFiles(bad);
        return 1;
    }

    private void WriteBadFiles(IReadOnlyList<BadFile> bad)
    {
        if (bad.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine($"{bad.Count} bad file(s); their plans are refused for changes, everything else works:");
        foreach (var file in bad)
        {
            output.WriteLine($"  {file.Path} ({file.Code}): {file.Message}");
        }
    }

    public int Show(string id, bool text = false)
    {
        var plan = Workflow.ReadPlan(id);
        if (text)
        {
            output.Write(plan.Text);
            return 0;
        }

        PlanBrief.Write(output, plan, Workflow.Lint(plan));
        output.Write(PlanReport.Render(plan, services.Store.PlansRoot, Workflow.CheckIntegrity(plan.Id.Value), services.Store.ReadAcceptance(plan.Id)));
        if (Workflow.Publisher is { } publisher)
        {
            // Issue 19 item 2: say plainly when recorded work is only on this machine.
            var missing = BranchPublishing.CommitsNotOnRemote(publisher, plan);
            output.WriteLine(missing.Count == 0
                ? $"Remote '{publisher.RemoteName}': every step commit is on it."
                : $"Not yet on remote '{publisher.RemoteName}': {string.Join(", ", missing.Select(sha => sha[..12]))}.");
        }

        return 0;
    }

    public int Repair(string id)
    {
        var (plan, accepted) = Workflow.Repair(id);
        output.WriteLine($"Repaired '{plan.Id}': accepted {accepted.Count} finding(s) as the files now are:");
        foreach (var finding in accepted)
        {
            output.WriteLine($"  {finding.What}");
        }

        output.WriteLine(plan.Record.Approval is null && plan.State.Folder == Core.Lifecycle.PlanFolder.Active
            ? $"The plan has no approval now: read it and approve it again with: mcpplan approve {plan.Id} --sha {plan.ApprovalSha256[..16]}"
            : "Decisions on this plan are possible again.");
        return 0;
    }

    public int Approve(string id, string? sha, string? by)
    {
        var (approver, approverNote) = DecisionMaker.Resolve(services.RepositoryRoot, by);

        // The person reads what they decide on: the plan, its lint and the checklist come before the decision.
        var read = Workflow.ReadPlan(id);
        PlanBrief.Write(output, read, Workflow.Lint(read));
        var plan = Workflow.Approve(id, approver, ApprovalChannels.Cli, session.ToEvidence(), sha);
        output.WriteLine($"Approved '{plan.Id}' text revision {plan.Record.TextRevision} (sha256 {plan.ApprovalSha256[..12]}) as {approver}.");
        if (approverNote is not null)
        {
            output.WriteLine(approverNote);
        }

        if (plan.Record.Approval?.ChannelWarning is { } warning)
        {
            output.WriteLine($"Flagged: not a person's channel ({warning}); every view shows it.");
        }

        output.WriteLine($"It is now active; the implementer starts with step 1. Base commit: {plan.Record.Approval?.BaseCommit?[..12] ?? "(none yet)"}.");
        if (plan.Record.Approval is { PinnedFiles.Count: > 0 } pinned)
        {
            output.WriteLine($"Acceptance tests pinned in commit {pinned.AcceptanceCommit?[..12]}: {string.Join(", ", pinned.PinnedFiles)}.");
        }

        SyncSandbox();
        if (Workflow.OverlapWarningOf(plan.Id.Value) is { } overlapWarning)
        {
            output.WriteLine(overlapWarning);
        }

        if (Workflow.ReadinessOf(plan.Record, plan.Location.Folder) is { } readiness && readiness != DependencyGraph.Ready)
        {
            output.WriteLine(readiness.StartsWith("blocked", StringComparison.Ordinal) ? $"Warning: {readiness}." : $"It is {readiness}: claims take it once those are completed.");
        }

        return 0;
    }

    public int RequestChanges(string id, string? note)
    {
        var text = note ?? throw new UsageException("request-changes needs --note \"what to change\".");
        var plan = Workflow.RequestChanges(id, text);
        output.WriteLine($"Changes requested for '{plan.Id}' ({plan.State}). {PlanLifecycle.NextStepHint(plan.State, plan.Id.Value)}");
        return 0;
    }

    public int Complete(string id)
    {
        var plan = Workflow.Complete(id);
        SyncSandbox();
        output.WriteLine($"Completed '{plan.Id}': archived in {services.Store.PlansRoot}/Completed with {plan.Record.Steps.Sum(step => step.Commits.Count)} step commits and {plan.Record.Reviews.Count} review(s).");
        var report = plan.Text.IndexOf("## Verification report", StringComparison.Ordinal);
        if (report >= 0)
        {
            output.WriteLine();
            output.Write(plan.Text[report..].ReplaceLineEndings("\n"));
        }

        WriteCompletionNotes(plan);
        return 0;
    }

    /// <summary>What the person may still want to do after completing: minor findings nobody fixed, and the archive to
    /// commit when the Completed folder is in git (init keeps only Review/ and Active/ out of it).</summary>
    private void WriteCompletionNotes(LoadedPlan plan)
    {
        var minor = plan.Record.LastReview?.Findings.Where(finding => finding.Severity == FindingSeverity.Minor).ToList() ?? [];
        if (minor.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"Warning: {minor.Count} minor finding(s) of the last review were not fixed (your call; they are in the archive):");
            foreach (var finding in minor)
            {
                output.WriteLine($"  {finding.Id} ({finding.Location}): {finding.Message}");
            }
        }

        var folder = $"{services.Store.PlansRoot}/Completed";
        if (services.Store is Storage.FilePlanStore && Git.UncommittedFiles.Under(Storage.SharedStoreRoot.For(services.RepositoryRoot), folder).Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"The archive is not committed yet: git add {folder} && git commit -m \"Complete plan {plan.Id}\"");
        }
    }

    /// <summary><c>mcpplan claims</c>: who builds which plan, under which fencing number, until when.</summary>
    public int ClaimList()
    {
        var claims = Workflow.Claims.Live();
        if (claims.Count == 0)
        {
            output.WriteLine("No plan is claimed. Implementers claim with read_active_plan claim=true (or by their first commit_step).");
            return 0;
        }

        var table = new TextTable("PLAN", "CLAIM", "HOLDER", "CLAIMED", "EXPIRES (UTC)");
        var now = clock.GetUtcNow();
        foreach (var claim in claims.OrderBy(claim => claim.PlanId, StringComparer.Ordinal))
        {
            table.Add(claim.PlanId, claim.Fence.ToString(CultureInfo.InvariantCulture), PlanClaims.Describe(claim), Age.Since(claim.ClaimedAt, now),
                Workflow.Claims.ExpiresAt(claim).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        }

        output.Write(table.ToString());
        return 0;
    }

    /// <summary><c>mcpplan release ID</c>: the person breaks a claim; the plan can be claimed again with a higher fencing number.</summary>
    public int Release(string id)
    {
        var broken = Workflow.Claims.Break(id);
        output.WriteLine($"Released claim {broken.Fence} on '{broken.PlanId}' ({PlanClaims.Describe(broken)}). Its holder's next commit_step is refused; any session can claim the plan again.");
        return 0;
    }

    /// <summary><c>mcpplan integrate ID [--into BRANCH]</c>: the person's merge of a verified plan (fast-forward or merge commit).</summary>
    public async Task<int> IntegrateAsync(string id, string? into)
    {
        var integrator = new Git.BranchIntegrator(Storage.SharedStoreRoot.For(services.RepositoryRoot));
        var (plan, candidate, worktree) = await Workflow.IntegrateAsync(id, into, integrator, CancellationToken.None);
        if (candidate.FetchWarning is { } warning)
        {
            output.WriteLine($"Warning: {warning}");
        }

        output.WriteLine(candidate.FastForward
            ? $"Integrated '{plan.Id}': {candidate.TargetBranch} fast-forwarded to {candidate.ResultSha[..12]}."
            : $"Integrated '{plan.Id}': merge commit {candidate.ResultSha[..12]} on {candidate.TargetBranch}.");
        output.WriteLine($"Completed: archived in {services.Store.PlansRoot}/Completed.");
        if (worktree is not null)
        {
            output.WriteLine(worktree.Describe());
        }
        SyncSandbox();
        return 0;
    }

    public int Abandon(string id, string? reason)
    {
        var why = reason ?? throw new UsageException("abandon needs --reason \"why\".");
        var plan = Workflow.Abandon(id, why);
        output.WriteLine($"Abandoned '{plan.Id}': archived in {services.Store.PlansRoot}/Completed with outcome abandoned.");
        SyncSandbox();
        return 0;
    }

    public int Log(string? id)
    {
        var entries = Workflow.ReadJournal(id);
        foreach (var finding in Workflow.CheckIntegrity(id))
        {
            output.WriteLine($"TAMPERED: {finding.What}. Repair: mcpplan repair {finding.PlanId ?? "<plan id>"} after looking at it.");
        }

        if (entries.Count == 0)
        {
            output.WriteLine("The journal is empty.");
            return 0;
        }

        var table = new TextTable("TIME (UTC)", "ACTOR", "ACTION", "PLAN", "OUTCOME", "DETAIL");
        foreach (var entry in entries)
        {
            table.Add(
                entry.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                entry.Actor,
                entry.Action,
                entry.PlanId ?? "-",
                entry.Outcome,
                OneLine(entry.Detail ?? string.Empty));
        }

        output.Write(table.ToString());
        return 0;
    }

    /// <summary>issue 20: the implementer's sandbox deny list follows the pins of active plans (in the main worktree, where init wrote it).</summary>
    private void SyncSandbox()
    {
        if (AcceptanceSandbox.Sync(Storage.SharedStoreRoot.For(services.RepositoryRoot), services.Store) is { } note)
        {
            output.WriteLine(note);
        }
    }

    private static string OneLine(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length > 100 ? line[..100] + "…" : line;
    }
}
