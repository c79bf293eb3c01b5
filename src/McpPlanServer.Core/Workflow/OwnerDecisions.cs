using McpPlanServer.Core.Evidence;
using McpPlanServer.Core.Acceptance;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Diagnostics;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Reviews;

namespace McpPlanServer.Core.Workflow;

/// <summary>
/// The person's decisions: approve the text they read, send a plan back, repair after tampering, integrate, complete,
/// abandon. Each runs under the lock; an approval binds the exact text (its hash) and the channel it came through.
/// </summary>
internal sealed class OwnerDecisions(
    WorkflowJournal journal,
    PlanReader reader,
    PlanAcceptance acceptance,
    PlanServerConfig config,
    IVerificationRunner? verifier,
    TimeProvider clock,
    IFaultPoints faults,
    Func<IBranchPublisher?> publisher)
{
    private IPlanStore Store => reader.Store;

    /// <summary>The shortest hash prefix the person may give: 8 hex digits (32 bits) make a lucky match on an edited text unlikely.</summary>
    public const int MinimumShaPrefix = 8;

    /// <summary>
    /// Approves the text the person saw: <paramref name="shaPrefix"/> (at least <see cref="MinimumShaPrefix"/> hex
    /// digits of the SHA-256 shown to them) must match the current text, so a revision written between reading and
    /// approving is refused. The channel and its evidence are recorded with the approval.
    /// </summary>
    public LoadedPlan Approve(string id, string approver, string channel, ApprovalEvidence? evidence, string? shaPrefix) =>
        journal.Locked(() =>
        {
            var plan = reader.ReadPlan(id);
            var reapproval = plan.Location.Folder == PlanFolder.Active && !plan.ApprovalValid;
            if (!reapproval)
            {
                PlanLifecycle.Require(PlanTransition.Approve, Actor.Owner, plan.Id.Value, plan.State);
            }

            var lint = PlanLinter.Lint(plan.Document, new LintOptions(config.RequiredSections) { PlansRoot = reader.Store.PlansRoot });
            if (lint.HasErrors)
            {
                throw new PlanRefusedException(
                    RefusalCodes.LintErrors,
                    $"Plan '{plan.Id}' has {lint.Summary} and cannot be approved. Ask the planner to fix them (write_plan):\n{lint.Format(plan.Id + ".md")}");
            }

            RequireShownText(plan, shaPrefix);
            WorkflowGuards.RequireIntact(Store, plan.Id);
            var now = clock.GetUtcNow();
            var approval = new Approval(plan.TextSha256, plan.Record.TextRevision, approver, now, reader.Repository?.HeadSha, channel, evidence);
            RequirePersonChannelIfRisky(plan, approval);

            // The acceptance tests are committed as the plan's first commit, which becomes the base the review starts after.
            faults.Reached("approve:before-pin");
            if (acceptance.Pin(plan) is { } pinned)
            {
                approval = approval with { BaseCommit = pinned.Commit, AcceptanceSha256 = pinned.Hash, AcceptanceCommit = pinned.Commit, PinnedFiles = [.. pinned.Files.Select(file => file.Path)] };
            }

            if (!reapproval)
            {
                Store.Move(plan.Id, PlanFolder.Review, PlanFolder.Active);
                faults.Reached("approve:after-move");
            }

            return journal.Save(plan, Actor.Owner, "approve", record => record with
            {
                Approval = approval,
                Folder = PlanFolder.Active,
                Status = reapproval && record.Status != PlanStatus.AwaitingApproval ? record.Status : PlanStatus.Implementing,
                OwnerNote = null,
            }, $"approved text revision {plan.Record.TextRevision} (sha256 {plan.ApprovalSha256[..12]}{(approval.PinnedFiles.Count > 0 ? $", {approval.PinnedFiles.Count} acceptance test file(s) pinned in {CommitId.Short(approval.AcceptanceCommit ?? string.Empty)}" : string.Empty)}) by {approver} via {channel}{(approval.ChannelWarning is { } warning ? $" (not a person's channel: {warning})" : string.Empty)}",
            OnChannel(channel));
        });

    /// <summary>
    /// The person accepts the plan's files as they are after tampering was reported: journal breaks up to now are marked
    /// as looked at, the record is bound again, and a record that was changed by hand loses its approval.
    /// </summary>
    public (LoadedPlan Plan, IReadOnlyList<TamperFinding> Accepted) Repair(string id) =>
        journal.Locked(() =>
        {
            var plan = reader.ReadPlan(id);
            var findings = Store.CheckIntegrity(plan.Id);
            if (findings.Count == 0)
            {
                throw new PlanRefusedException(RefusalCodes.NothingToRepair, $"Plan '{plan.Id}': its record and the journal lines about it are as mcpplan wrote them; there is nothing to repair.");
            }

            var recordChanged = findings.Any(finding => finding.RecordChanged);
            var through = findings.Max(finding => finding.Line);
            var saved = journal.Save(plan, Actor.Owner, "repair", record => record with { Approval = recordChanged ? null : record.Approval },
                $"accepted by the person: {string.Join("; ", findings.Select(finding => finding.What))}{(recordChanged && plan.Record.Approval is not null ? "; approval withdrawn" : string.Empty)}",
                entry => entry with { RepairedThrough = through ?? 0 });
            return (saved, findings);
        });

    private static void RequireShownText(LoadedPlan plan, string? shaPrefix)
    {
        var current = $"text revision {plan.Record.TextRevision}{(plan.AcceptanceSha256 is null ? string.Empty : " with its acceptance tests")}, sha256 {plan.ApprovalSha256[..16]}";
        if (string.IsNullOrWhiteSpace(shaPrefix))
        {
            throw new PlanRefusedException(
                RefusalCodes.ShaRequired,
                $"Approve the text you read: plan '{plan.Id}' is at {current}. Read it (mcpplan show {plan.Id}), then run: mcpplan approve {plan.Id} --sha {plan.ApprovalSha256[..16]}");
        }

        var prefix = shaPrefix.Trim().ToLowerInvariant();
        if (prefix.Length < MinimumShaPrefix || prefix.Length > plan.ApprovalSha256.Length || !prefix.All(char.IsAsciiHexDigit))
        {
            throw new PlanRefusedException(
                RefusalCodes.InvalidArgument,
                $"--sha '{shaPrefix}' is not a hash prefix: give at least {MinimumShaPrefix} hex digits of the plan's SHA-256, as mcpplan show {plan.Id} prints it.");
        }

        if (!plan.ApprovalSha256.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new PlanRefusedException(
                RefusalCodes.PlanChanged,
                $"Plan '{plan.Id}' is not the text you approved: it is now {current}, not {prefix}…. Nothing was approved. Read the current text (mcpplan show {plan.Id}) and approve it with its hash if you agree.");
        }
    }

    private void RequirePersonChannelIfRisky(LoadedPlan plan, Approval approval)
    {
        if (config.PersonChannelFromRisk is not { } from || approval.IsPersonChannel)
        {
            return;
        }

        var risk = ParseRisk(plan.Document.Metadata.RiskLevel);
        if (risk is null || risk >= from)
        {
            throw new PlanRefusedException(
                RefusalCodes.PersonChannelRequired,
                $"Plan '{plan.Id}' has risk level {plan.Document.Metadata.RiskLevel ?? "(none stated)"}, and the config (personChannelFromRisk: {from}) requires a person's channel for it: {approval.ChannelWarning}. Nothing was approved. The person approves in their own terminal, outside any agent session: mcpplan approve {plan.Id} --sha {plan.ApprovalSha256[..16]}");
        }
    }

    /// <summary>The risk level a plan states (its first word), or null when it states none that is known.</summary>
    public static RiskLevel? ParseRisk(string? stated)
    {
        var word = stated?.Trim().Split([' ', '-', '—', ',', '(', ':'], 2)[0];
        return word is { Length: > 0 } && word.All(char.IsAsciiLetter) && Enum.TryParse<RiskLevel>(word, ignoreCase: true, out var level) ? level : null;
    }

    /// <summary>Marks a person's decision's journal line with the channel it came through (cli, board, elicitation).</summary>
    private static Func<JournalEntry, JournalEntry> OnChannel(string channel) => entry => entry with { Channel = channel };

    public LoadedPlan RequestChanges(string id, string note, string channel) =>
        journal.Locked(() =>
        {
            WorkflowGuards.RequireText(note, "note", 20_000);
            var plan = reader.ReadPlan(id);
            PlanLifecycle.Require(PlanTransition.RequestChanges, Actor.Owner, plan.Id.Value, plan.State);
            return journal.Save(plan, Actor.Owner, "request_changes", record => record with { Status = PlanStatus.ChangesRequested, OwnerNote = note }, note, OnChannel(channel));
        });

    /// <summary>
    /// The person's integration: the verified commit into <paramref name="target"/> (default: the main worktree's branch)
    /// by fast-forward or merge commit, the verification command run on the merged tree in a clean checkout before the
    /// branch moves, the result pushed to the push remote's branch of that name (when one is configured), then the plan
    /// completed with the commit recorded. Any refusal leaves branches and plan as they were.
    /// </summary>
    /// <remarks>
    /// The merge is computed and verified without the store's lock (a verification run takes minutes, and other processes
    /// would get <c>busy</c>). Then, under the lock, the plan is read again and everything the branch move relies on is
    /// checked once more (<see cref="RequireUnchangedSince"/>, <see cref="RequireCompletable"/>); the push, the branch's
    /// compare-and-swap move and the completion record follow under that same lock, so no decision of another process
    /// (request-changes, abandon, a revision, a new review, a second integration) lands between the check and the move.
    /// Branch first, record second: a crash in between leaves the plan verified and the branch holding its commit, and
    /// <c>mcpplan integrate</c> then says <c>already_integrated</c> and points to <c>mcpplan complete</c>.
    /// </remarks>
    public async Task<(LoadedPlan Plan, IntegrationCandidate Candidate, PlanWorktreeRemoval? Worktree)> IntegrateAsync(string id, string? target, IBranchIntegrator integrator, string channel, CancellationToken cancellationToken)
    {
        var fetchWarning = publisher()?.Fetch(); // the remote's latest before the branch is merged
        var plan = reader.ReadPlan(id);
        if (plan.Location.Folder != PlanFolder.Active || plan.State.Status != PlanStatus.Verified || plan.Record.LastReview?.HeadSha is not { } verified)
        {
            throw new PlanRefusedException(RefusalCodes.NotVerified, $"Plan '{plan.Id}' is {plan.State}; only a verified plan is integrated. {PlanLifecycle.NextStepHint(plan.State, plan.Id.Value)}");
        }

        RequireNoOpenFindings(plan);
        var branch = target ?? integrator.CurrentBranch
            ?? throw new PlanRefusedException(RefusalCodes.NoTargetBranch, "The main worktree is on no branch. Name the target with --into BRANCH.");
        RequireApprovalInForce(plan, $"Nothing was integrated: {branch} was not moved and nothing was recorded.", "integrate");
        var candidate = integrator.Prepare(branch, verified, plan.Record.Approval?.BaseCommit ?? verified, [.. plan.Document.PlannedFiles.Select(file => file.Path)]);
        if (config.Verify.Command is { } command && verifier is not null)
        {
            var result = await verifier.RunAsync(command, TimeSpan.FromSeconds(config.Verify.TimeoutSeconds), candidate.ResultSha, cancellationToken);
            if (!result.Passed)
            {
                throw new PlanRefusedException(
                    RefusalCodes.VerificationFailed,
                    $"The verification command failed on the merged tree ({candidate.ResultSha[..12]}, exit {result.ExitCode}{(result.TimedOut ? ", timed out" : string.Empty)}); {branch} was not moved. Output tail:\n{result.OutputTail}");
            }
        }

        // Again on the merged tree: a failure refuses (the branch is not moved); a pass is the run the archive reports.
        var integrationRun = await acceptance.RunAsync(plan, candidate.ResultSha, "the integration", cancellationToken);
        var completed = journal.Locked(() =>
        {
            var current = reader.ReadPlan(id);
            RequireUnchangedSince(plan, current, verified, branch);
            RequireCompletable(current, candidate.ResultSha);
            if (publisher() is { } remote)
            {
                integrator.Publish(candidate, remote.RemoteName); // the team's target branch first: a rejected push leaves everything here as it was
            }

            integrator.Advance(candidate);
            faults.Reached("integrate:after-advance");
            return Archive(current, candidate.ResultSha, channel, integrationRun);
        });

        // The worktree a claim made for the plan goes with it (kept when anything in it is uncommitted).
        var worktree = reader.Repository?.RemovePlanWorktree(PlanWorktree.BranchOf(completed.Id.Value), PlanWorktree.FolderOf(completed.Id.Value));
        return (completed, candidate with { FetchWarning = fetchWarning }, worktree);
    }

    /// <summary>
    /// Refuses, before anything moves, when the plan is no longer what was merged and verified without the lock: another
    /// process decided meanwhile (its state), a new review verified another commit, or its text or acceptance tests changed.
    /// </summary>
    private static void RequireUnchangedSince(LoadedPlan before, LoadedPlan now, string verified, string branch)
    {
        var last = now.Record.Timeline is [.., var entry] ? $" (last: {entry.Event} by {entry.Actor})" : string.Empty;
        var nothing = $"Nothing was integrated: {branch} was not moved and nothing was recorded.";
        if (now.Location.Folder != PlanFolder.Active || now.State.Status != PlanStatus.Verified)
        {
            throw new PlanRefusedException(
                RefusalCodes.ChangedWhileIntegrating,
                $"Plan '{now.Id}' changed while it was being integrated: it is now {now.State}{last}. {nothing} {PlanLifecycle.NextStepHint(now.State, now.Id.Value)}");
        }

        if (now.Record.LastReview?.HeadSha is not { } nowVerified || nowVerified != verified)
        {
            throw new PlanRefusedException(
                RefusalCodes.ChangedWhileIntegrating,
                $"Plan '{now.Id}' was verified again on commit {CommitId.Short(now.Record.LastReview?.HeadSha ?? string.Empty)} while commit {CommitId.Short(verified)} was being integrated{last}. {nothing} Run mcpplan integrate {now.Id} again to integrate the commit verified now.");
        }

        if (now.ApprovalSha256 != before.ApprovalSha256)
        {
            throw new PlanRefusedException(
                RefusalCodes.ChangedWhileIntegrating,
                $"Plan '{now.Id}': its text or acceptance tests changed while it was being integrated (sha256 {before.ApprovalSha256[..16]} → {now.ApprovalSha256[..16]}){last}. {nothing} Read it (mcpplan show {now.Id}) and decide again.");
        }

        // Anything else written to the record meanwhile (a repair that withdrew the approval, a recovered commit): what was
        // checked before the verification is not what is there now.
        if (now.Record.Revision != before.Record.Revision)
        {
            throw new PlanRefusedException(
                RefusalCodes.ChangedWhileIntegrating,
                $"Plan '{now.Id}' changed while it was being integrated: its record went from revision {before.Record.Revision} to {now.Record.Revision}{last}. {nothing} Look at it (mcpplan show {now.Id}), then run mcpplan integrate {now.Id} again.");
        }
    }

    public LoadedPlan Complete(string id, string? integratedCommit, string channel, AcceptanceResult? integrationRun = null) =>
        journal.Locked(() =>
        {
            var plan = reader.ReadPlan(id);
            RequireCompletable(plan, integratedCommit);
            return Archive(plan, integratedCommit, channel, integrationRun);
        });

    /// <summary>Every check of completing <paramref name="plan"/>; callers hold the lock and write nothing before it.</summary>
    private void RequireCompletable(LoadedPlan plan, string? integratedCommit)
    {
        PlanLifecycle.Require(PlanTransition.Complete, Actor.Owner, plan.Id.Value, plan.State);
        WorkflowGuards.RequireIntact(Store, plan.Id);
        RequireApprovalInForce(plan, "Nothing was completed.", integratedCommit is null ? "complete" : "integrate");

        // Integration merged exactly the verified commit, so a later commit on a worktree's branch cannot stale it.
        if (integratedCommit is null && plan.StaleVerdict is { } stale)
        {
            throw new PlanRefusedException(RefusalCodes.VerdictStale, stale);
        }

        RequireNoOpenFindings(plan);
        if (integratedCommit is null)
        {
            RequireCommittedPlanFiles(plan);
        }
    }

    /// <summary>Completes and archives a plan <see cref="RequireCompletable"/> passed, under the same lock.</summary>
    private LoadedPlan Archive(LoadedPlan plan, string? integratedCommit, string channel, AcceptanceResult? integrationRun)
    {
        // The archived text: checkboxes of met items ticked in the source, and the verification report appended. The
        // record follows the new hash (and keeps it as the archived form of the approved text), so nothing reads the
        // archive as edited after approval.
        var reported = integrationRun is null ? plan.Record : plan.Record with { LastAcceptance = integrationRun };
        var archived = VerificationReport.Archive(plan.Text, ReviewChecklist.Items(plan.Document), reported, config, clock.GetUtcNow());
        var archivedSha = PlanText.Sha256Hex(archived);

        // Record first, then the text, then the move: a crash in between leaves a record that says "archived", and
        // the next start finishes the move (Reconcile) instead of losing the outcome.
        var saved = journal.Save(plan, Actor.Owner, "complete", record => record with
        {
            Folder = PlanFolder.Completed,
            Status = PlanStatus.Completed,
            TextSha256 = archivedSha,
            ArchivedTextSha256 = archivedSha,
            IntegratedCommit = integratedCommit,
            LastAcceptance = integrationRun ?? record.LastAcceptance,
        }, $"{plan.Record.StepsDone}/{plan.Record.Steps.Count} steps, last score {plan.Record.LastReview?.WeightedTotal}, verified commit {plan.Record.LastReview?.HeadSha?[..12]}"
            + (integratedCommit is null ? string.Empty : $", integrated as {integratedCommit[..12]}"), OnChannel(channel));
        Store.WriteText(plan.Id, PlanFolder.Active, archived);
        Store.Move(plan.Id, PlanFolder.Active, PlanFolder.Completed);
        return saved with { Text = archived, TextSha256 = archivedSha, Document = PlanParser.Parse(archived) };
    }

    /// <summary>
    /// Refuses to archive a plan whose text or acceptance tests changed after the person approved them (a hand edit while
    /// it was verified): the archive takes the current text's hash, so it would pass off an unapproved text as approved.
    /// </summary>
    private static void RequireApprovalInForce(LoadedPlan plan, string nothing, string command)
    {
        if (plan.ApprovalValid)
        {
            return;
        }

        var approved = plan.Record.Approval is { } approval ? $"approved sha256 {approval.ApprovedSha256[..12]}, now {plan.ApprovalSha256[..12]}" : "it has no approval";
        throw new PlanRefusedException(
            RefusalCodes.ApprovalVoid,
            $"The text or acceptance tests of plan '{plan.Id}' changed after the person approved them ({approved}), so the verified work no longer answers an approved plan. {nothing} "
            + $"Read the change (mcpplan show {plan.Id}, git diff -- on the plans root), then approve the current text again (mcpplan approve {plan.Id} --sha {plan.ApprovalSha256[..12]}) and run mcpplan {command} {plan.Id} again, "
            + $"or send it back (mcpplan request-changes {plan.Id} --note \"...\").");
    }

    /// <summary>
    /// Refuses to archive a plan while its last review has open critical or major findings (a passing round keeps its
    /// major ones open: nothing addressed them). Minor ones are the person's call; the CLI lists them.
    /// </summary>
    private static void RequireNoOpenFindings(LoadedPlan plan)
    {
        var open = plan.Record.OpenFindings.Where(finding => finding.Severity >= FindingSeverity.Major).ToList();
        if (open.Count > 0)
        {
            throw new PlanRefusedException(
                RefusalCodes.OpenFindings,
                $"Plan '{plan.Id}' has {open.Count} unaddressed critical or major finding(s) from review round {plan.Record.LastReview!.Iteration}: "
                + string.Join("; ", open.Select(finding => $"{finding.Id} ({finding.Severity.ToString().ToLowerInvariant()}, {finding.Location}): {finding.Message}"))
                + $". Nothing was completed. Send it back so the implementer fixes them (mcpplan request-changes {plan.Id} --note \"fix {string.Join(", ", open.Select(finding => finding.Id))}\"), or abandon it (mcpplan abandon {plan.Id} --reason ...).");
        }
    }

    /// <summary>Refuses to archive a plan while files it lists (or its steps changed) differ from HEAD: the verified
    /// commit does not hold that work, so the archive would claim what is not in git.</summary>
    private void RequireCommittedPlanFiles(LoadedPlan plan)
    {
        if (reader.Repository is not { } git)
        {
            return;
        }

        var loose = WorkflowGuards.UncommittedPlanFiles(plan, git, Store.PlansRoot);
        if (loose.Count > 0)
        {
            throw new PlanRefusedException(
                RefusalCodes.UncommittedChanges,
                $"Files of plan '{plan.Id}' have uncommitted changes: {string.Join(", ", loose.Take(30))}. The verified commit does not hold them, so nothing was completed. "
                + $"Restore leftovers (git restore <file>, or remove an untracked file); work the plan needs goes back to the implementer (mcpplan request-changes {plan.Id} --note \"commit ...\"), who commits it with commit_step for a new review. Then run mcpplan complete {plan.Id}.");
        }
    }

    public LoadedPlan Abandon(string id, string reason, string channel) =>
        journal.Locked(() =>
        {
            WorkflowGuards.RequireText(reason, "reason", 20_000);
            var plan = reader.ReadPlan(id);
            PlanLifecycle.Require(PlanTransition.Abandon, Actor.Owner, plan.Id.Value, plan.State);
            var saved = journal.Save(plan, Actor.Owner, "abandon", record => record with
            {
                Folder = PlanFolder.Completed,
                Status = PlanStatus.Abandoned,
                OwnerNote = reason,
            }, reason, OnChannel(channel));
            Store.Move(plan.Id, plan.Location.Folder, PlanFolder.Completed);
            return saved;
        });
}
