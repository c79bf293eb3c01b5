using McpPlanServer.Core.Acceptance;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Diagnostics;
using McpPlanServer.Core.Drift;
using McpPlanServer.Core.Evidence;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Records;

namespace McpPlanServer.Core.Workflow;

/// <summary>The implementer's commands: report a blocker, commit a step through git, hand the implementation in.</summary>
internal sealed class ImplementerCommands(
    WorkflowJournal journal,
    PlanReader reader,
    StepCommitRecovery recovery,
    PlanClaims claims,
    PlanAcceptance acceptance,
    PlanServerConfig config,
    IVerificationRunner? verifier,
    TimeProvider clock,
    IFaultPoints faults,
    Func<IBranchPublisher?> publisher)
{
    private IPlanStore Store => reader.Store;

    private IRepositoryGateway? Repository => reader.Repository;

    public RecordedBlocker ReportBlocker(Actor actor, string id, int? step, string question) =>
        journal.Locked(() =>
        {
            WorkflowGuards.RequireText(question, "question", 20_000);
            var plan = reader.ReadPlan(id);
            PlanLifecycle.Require(PlanTransition.ReportBlocker, actor, plan.Id.Value, plan.State);
            if (step is { } number && (number < 1 || number > plan.Document.Steps.Count))
            {
                throw new PlanRefusedException(
                    RefusalCodes.UnknownStep,
                    $"Plan '{plan.Id}' has steps 1-{plan.Document.Steps.Count}; there is no step {number}. Omit step for a question about the whole plan.");
            }

            var blocker = new Blocker(plan.Record.Blockers.Count + 1, step, question, clock.GetUtcNow(), null, null);
            var saved = journal.Save(plan, actor, "report_blocker", record => record with { Blockers = [.. record.Blockers, blocker], Status = PlanStatus.Blocked },
                $"blocker {blocker.Id}{(step is null ? string.Empty : $" on step {step}")}");
            return new RecordedBlocker(saved, blocker);
        });

    /// <summary>
    /// Commits one step through git with Plan-Id / Plan-Step trailers and records it. Every check — state, approval,
    /// step order, paths, repository state, drift — happens before the commit; a refusal leaves HEAD, index and
    /// working tree untouched.
    /// </summary>
    public StepCommitOutcome CommitStep(Actor actor, string id, int step, string message, IReadOnlyList<string>? paths, string? deviationReason, IReadOnlyList<string>? addressesFindings, bool includeUnplanned) =>
        journal.Locked(() =>
        {
            var git = WorkflowGuards.RequireRepository(Repository);

            // The checks and git's preparation of the commit read only; where the store can let go of its lock (PostgreSQL)
            // they run without it, and what they relied on is checked again under it below. The file store keeps its lock.
            PreparedStep ready;
            bool released;
            using (var outside = Store.ReleaseDuring())
            {
                released = outside is not LockKept;
                ready = PrepareStep(actor, id, step, message, paths, deviationReason, addressesFindings, includeUnplanned, git);
            }

            // The phases of the step for the benchmarks (BenchTimings; PrepareStep times its own).
            var lap = System.Diagnostics.Stopwatch.GetTimestamp();
            if (ready.Retried is { } retried)
            {
                return retried;
            }

            var plan = released ? reader.ReadPlan(id) : ready.Plan;
            if (plan.Record.Revision != ready.Plan.Record.Revision)
            {
                throw new PlanRefusedException(
                    RefusalCodes.PlanChanged,
                    $"Plan '{plan.Id}' changed while this commit was being prepared (revision {ready.Plan.Record.Revision} → {plan.Record.Revision}). Nothing was committed; read_active_plan, then commit_step again.");
            }

            var (claim, claimBook, claimsBefore) = claims.ForCommit(plan);
            if (claim.Fence != ready.Claim!.Fence)
            {
                throw new PlanRefusedException(
                    RefusalCodes.PlanChanged,
                    $"The claim on '{plan.Id}' changed while this commit was being prepared (claim {ready.Claim.Fence} → {claim.Fence}). Nothing was committed; commit_step again.");
            }

            var prepared = ready.Commit!;
            var unplanned = ready.Unplanned;
            var approvalTag = ready.ApprovalTag;
            var progress = plan.Record.Steps[step - 1];
            var fixing = plan.State.Status == PlanStatus.ChangesRequested;

            // The git work runs without the store's lock where the store can let go of it (PostgreSQL: the intent and the
            // claim are committed first), so no other session's change waits behind this commit; the claim is confirmed
            // and the record's revision checked again before the step is recorded.
            BenchTimings.Lap("step:recheck", ref lap);
            var committed = claims.Holding(claim, claimBook, claimsBefore, () =>
            {
                plan = WriteIntent(plan, actor, new CommitIntent(step, prepared.TreeId ?? string.Empty, prepared.ExpectedHead, clock.GetUtcNow()));
                BenchTimings.Lap("step:intent", ref lap);
                using (Store.ReleaseDuring())
                {
                    faults.Reached("commit-step:git-commit");
                    return git.Commit(prepared);
                }
            });
            lap = System.Diagnostics.Stopwatch.GetTimestamp();
            faults.Reached("commit-step:after-git-commit");

            // On the remote before it is recorded; a refusal here leaves the commit and its intent for the retry.
            using (Store.ReleaseDuring())
            {
                publisher()?.Publish(plan.Id.Value, step, committed.Sha);
            }

            claims.Confirm(plan, claim, $"Step {step} WAS committed as {committed.Sha[..12]} (HEAD moved)");
            var stepCommit = new StepCommit(committed.Sha, message.Trim(), clock.GetUtcNow(), [.. committed.Files.Select(file => file.Path)], unplanned,
                string.IsNullOrWhiteSpace(deviationReason) ? null : deviationReason.Trim(), addressesFindings ?? [])
            {
                IndexStale = !committed.IndexUpdated,
                Approval = approvalTag,
            };
            var kept = progress.Commits.Count == 0 ? [] : KeptOnBranch(progress.Commits, git);
            BenchTimings.Lap("step:publish+kept", ref lap);
            var dropped = progress.Commits.Count - kept.Count;
            var detail = $"step {step}: {committed.Sha[..12]} ({committed.Files.Count} files{(unplanned.Count > 0 ? $", unplanned: {string.Join(", ", unplanned)}" : string.Empty)})"
                + (committed.IndexUpdated ? string.Empty : "; git's index could not be updated (index.lock held by another process)")
                + (dropped > 0 ? $"; {dropped} earlier commit(s) of the step no longer on the branch dropped" : string.Empty);
            LoadedPlan? saved;
            try
            {
                saved = journal.Save(plan, actor, "commit_step", record => record with
                {
                    Steps = [.. record.Steps.Select(candidate => candidate.Number == step ? candidate with { Done = true, Problem = null, Commits = [.. kept, stepCommit] } : candidate)],
                    Status = fixing ? PlanStatus.ChangesRequested : PlanStatus.Implementing,
                    PendingCommit = null,
                }, detail);
            }
            catch (PlanRefusedException failure)
            {
                // The record may be written and only the journal line lost: then the step is recorded and that is the answer.
                saved = RecordedPlan(plan, committed.Sha) ?? throw new PlanRefusedException(
                    RefusalCodes.CommittedNotRecorded,
                    $"Step {step} WAS committed as {committed.Sha[..12]} (HEAD moved), but the plan record could not be written ({failure.Code}). "
                    + "Nothing is lost: the commit matches the intent recorded before it, so the next commit_step, submit_for_review or server start adopts it as the step. Fix the cause, then read_active_plan.");
            }

            BenchTimings.Lap("step:record", ref lap);
            return new StepCommitOutcome(saved, committed, unplanned, saved.NextStep?.Number);
        });

    /// <summary>commit_step's checks, in the order they always ran, and git's preparation of the commit; writes only when it adopts a recorded intent's commit.</summary>
    private PreparedStep PrepareStep(Actor actor, string id, int step, string message, IReadOnlyList<string>? paths, string? deviationReason, IReadOnlyList<string>? addressesFindings, bool includeUnplanned, IRepositoryGateway git)
    {
        var lap = System.Diagnostics.Stopwatch.GetTimestamp();
        var plan = reader.ReadPlan(id);
        BenchTimings.Lap("step:read-plan", ref lap);
        PlanLifecycle.Require(PlanTransition.CommitStep, actor, plan.Id.Value, plan.State);
        WorkflowGuards.RequireApproved(plan);
        WorkflowGuards.RequireIntact(Store, plan.Id);
        BenchTimings.Lap("step:intact", ref lap);
        var pendingStep = plan.Record.PendingCommit?.Step;
        plan = recovery.AdoptUnrecordedStepCommits(plan, git, actor);
        BenchTimings.Lap("step:adopt", ref lap);
        if (pendingStep == step && plan.Record.PendingCommit is null && BranchPublishing.RetriedCommit(plan, step, git) is { } retried)
        {
            // The retry after a rejected push: the step's commit was adopted once it was on the remote.
            return new PreparedStep(plan, null, null, [], string.Empty) { Retried = new StepCommitOutcome(plan, retried, plan.Record.Steps[step - 1].Commits[^1].UnplannedFiles, plan.NextStep?.Number) };
        }

        if (step < 1 || step > plan.Record.Steps.Count)
        {
            throw new PlanRefusedException(RefusalCodes.UnknownStep, $"Plan '{plan.Id}' has steps 1-{plan.Record.Steps.Count}; there is no step {step}.");
        }

        var progress = plan.Record.Steps[step - 1];
        var fixing = plan.State.Status == PlanStatus.ChangesRequested;
        RequireCommittable(plan, step, progress, fixing, addressesFindings);
        RequirePlanBranch(plan, git);
        BenchTimings.Lap("step:branch", ref lap);

        var approvalTag = ImplementationEvidenceReader.ApprovalTag(plan.Record.Approval!);
        var (claim, _, _) = claims.ForCommit(plan);
        var trailers = new List<KeyValuePair<string, string>>
        {
            new("Plan-Id", plan.Id.Value),
            new("Plan-Step", step.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("Plan-Approval", approvalTag),
            new("Plan-Claim", claim.Fence.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        trailers.AddRange((addressesFindings ?? []).Select(finding => new KeyValuePair<string, string>("Plan-Addresses", finding)));
        var selection = paths ?? DefaultStepPaths(plan, git, includeUnplanned);
        BenchTimings.Lap("step:select", ref lap);
        var prepared = git.Prepare(new StepCommitRequest(selection, Store.PlansRoot, message, trailers) { ProtectedPaths = ProtectedPaths.For(Store.PlansRoot) });
        PlanAcceptance.RequireUnpinned(plan, prepared.Files.Select(file => file.Path));
        var unplanned = DriftAnalyzer.UnplannedFiles(prepared.Files.Select(file => file.Path), plan.Document.PlannedFiles);
        if (unplanned.Count > 0 && config.Drift == DriftPolicy.Block && string.IsNullOrWhiteSpace(deviationReason))
        {
            throw new PlanRefusedException(
                RefusalCodes.DriftBlocked,
                $"This commit touches files the plan does not list: {string.Join(", ", unplanned)}. The drift policy is 'block': pass deviation_reason explaining why, commit only the planned files (paths), or report_blocker so the planner can revise the plan.");
        }

        return new PreparedStep(plan, claim, prepared, unplanned, approvalTag);
    }

    /// <summary>
    /// A plan with a branch <c>plan/&lt;id&gt;</c> is committed only on it, so parallel builders never mix their steps on
    /// one branch. Without one (plan branches off, the single-working-tree flow) any branch HEAD is on takes the steps.
    /// </summary>
    private void RequirePlanBranch(LoadedPlan plan, IRepositoryGateway git)
    {
        var branch = PlanWorktree.BranchOf(plan.Id.Value);
        var current = git.CurrentBranch;
        if (string.Equals(current, branch, StringComparison.Ordinal))
        {
            return;
        }

        if (git.HasBranch(branch))
        {
            var place = git.WorktreeOf(branch) is { } path
                ? $"Commit from its worktree {path}: start the implementer session there (cd {path}), or ask the person to switch that worktree"
                : $"Switch this worktree to it (git switch {branch}) and commit again";
            throw new PlanRefusedException(
                RefusalCodes.WrongBranch,
                $"Plan '{plan.Id}' is built on its branch {branch}, but this worktree is on {current ?? "no branch (detached HEAD)"}. {place}. Nothing was committed.");
        }

        if (config.PlanBranches)
        {
            throw new PlanRefusedException(
                RefusalCodes.WrongBranch,
                $"Plan branches are on (planBranches in the config) and {branch} does not exist yet. Claim the plan first (read_active_plan with claim=true and plan_id={plan.Id}): the claim starts {branch} and its worktree. Nothing was committed.");
        }
    }

    /// <summary>Step order and the fix round's rules: which step may take a commit now, and which findings it may name.</summary>
    private static void RequireCommittable(LoadedPlan plan, int step, StepProgress progress, bool fixing, IReadOnlyList<string>? addressesFindings)
    {
        // Once every step is done, a done step may take further commits before the hand-in: a failed verification
        // (which runs on what is committed) must be fixable by a commit, not only in the working tree.
        var finishing = plan.NextStep is null;
        if (progress.Done && !fixing && !finishing)
        {
            throw new PlanRefusedException(
                RefusalCodes.StepDone,
                $"Step {step} of '{plan.Id}' is already done ({progress.Commits[^1].Sha[..12]}). Commit the next step ({plan.NextStep?.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none left: submit_for_review"}).");
        }

        if (progress.Done && fixing && (addressesFindings is null || addressesFindings.Count == 0))
        {
            throw new PlanRefusedException(
                RefusalCodes.FindingsRequired,
                $"Step {step} is done; in this fix round a commit to it must name the findings it addresses (addresses_findings). Open findings: {string.Join(", ", plan.Record.OpenFindings.Select(finding => finding.Id))}.");
        }

        if (!progress.Done && !plan.Document.StepsIndependent && plan.NextStep is { } next && next.Number != step)
        {
            throw new PlanRefusedException(
                RefusalCodes.StepOutOfOrder,
                $"Step {step} is out of order: step {next.Number} ('{next.Title}') comes first. The plan's steps are sequential unless it says '**Steps**: independent'.{(next.Problem is null ? string.Empty : " " + next.Problem)}");
        }

        var openFindings = plan.Record.OpenFindings.Select(finding => finding.Id).ToHashSet(StringComparer.Ordinal);
        var unknownFindings = (addressesFindings ?? []).Where(finding => !openFindings.Contains(finding)).ToList();
        if (unknownFindings.Count > 0)
        {
            throw new PlanRefusedException(
                RefusalCodes.UnknownFinding,
                $"{string.Join(", ", unknownFindings)} {(unknownFindings.Count == 1 ? "is" : "are")} not open findings of '{plan.Id}'. Open findings: {(openFindings.Count == 0 ? "none" : string.Join(", ", openFindings))}.");
        }
    }

    /// <summary>
    /// commit_step's default selection: the changed files the plan lists; unplanned changed files only when the
    /// implementer declares them (<paramref name="includeUnplanned"/>). Configuration and client settings never.
    /// </summary>
    private List<string> DefaultStepPaths(LoadedPlan plan, IRepositoryGateway git, bool includeUnplanned)
    {
        var exclusions = ProtectedPaths.For(Store.PlansRoot);
        var changed = git.UncommittedChanges(Store.PlansRoot)
            .Select(change => change.Path)
            .Where(path => !exclusions.Any(guarded => Paths.RepoRelativePath.IsUnder(path, guarded)))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var planned = changed.Where(path => DriftAnalyzer.IsPlanned(path, plan.Document.PlannedFiles)).ToList();
        var selection = includeUnplanned ? changed : planned;
        if (selection.Count == 0)
        {
            var unplanned = changed.Except(planned, StringComparer.Ordinal).ToList();
            throw new PlanRefusedException(
                RefusalCodes.NothingToCommit,
                unplanned.Count == 0
                    ? "Nothing to commit: no file the plan lists differs from HEAD. Make the step's changes first."
                    : $"Nothing to commit: no file the plan lists has changed. Changed but not in the plan: {string.Join(", ", unplanned.Take(20))}. Name them in paths, or pass include_unplanned=true (with deviation_reason) to commit them as a declared deviation.");
        }

        return selection;
    }

    private static List<StepCommit> KeptOnBranch(IReadOnlyList<StepCommit> commits, IRepositoryGateway git)
    {
        var presence = git.Presence([.. commits.Select(commit => new StepCommitProbe(commit.Sha, []))]).ToDictionary(found => found.Sha, StringComparer.Ordinal);
        return [.. commits.Where(commit => presence.TryGetValue(commit.Sha, out var found) && found.OnBranch)];
    }

    /// <summary>Writes the commit intent into the record. No timeline entry (it is bookkeeping, not an event), but a journal
    /// line like every record revision, so tamper evidence binds this revision too.</summary>
    private LoadedPlan WriteIntent(LoadedPlan plan, Actor actor, CommitIntent intent)
    {
        var record = plan.Record with { PendingCommit = intent, Revision = plan.Record.Revision + 1 };
        Store.WriteRecord(record, journal.Entry(actor, "commit_intent", plan.Id.Value, "ok", $"step {intent.Step}: tree {Short(intent.TreeId)} on {Short(intent.ParentSha)}", record.Revision));
        return plan with { Record = record };
    }

    private static string Short(string? sha) => sha is null ? "no commit" : CommitId.Short(sha);

    private LoadedPlan? RecordedPlan(LoadedPlan plan, string sha)
    {
        try
        {
            return Store.ReadRecord(plan.Id) is { } record && record.Steps.Any(step => step.Commits.Any(commit => commit.Sha == sha)) ? plan with { Record = record } : null;
        }
        catch (PlanRefusedException)
        {
            return null;
        }
    }

    /// <summary>
    /// Hands the implementation in: every step must be done (on the branch, with its changes) and no file the plan lists
    /// may have uncommitted changes. The person's verification command (if configured) runs outside the lock on a clean
    /// checkout of the handed-in commit — never on the working tree — and the result, bound to that commit, is recorded
    /// only if neither the plan nor HEAD changed meanwhile.
    /// </summary>
    public async Task<LoadedPlan> SubmitForReviewAsync(Actor actor, string id, CancellationToken cancellationToken)
    {
        var (before, head) = journal.Locked(() =>
        {
            var plan = reader.ReadPlan(id);
            PlanLifecycle.Require(PlanTransition.SubmitForReview, actor, plan.Id.Value, plan.State);
            WorkflowGuards.RequireApproved(plan);
            WorkflowGuards.RequireIntact(Store, plan.Id);
            if (Repository is not null)
            {
                plan = recovery.AdoptUnrecordedStepCommits(plan, Repository, actor);
            }

            var undone = plan.Record.Steps.Where(step => !step.Done).ToList();
            if (undone.Count > 0)
            {
                var numbers = undone.Select(step => step.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
                var problems = string.Concat(undone.Where(step => step.Problem is not null).Select(step => " " + step.Problem));
                throw new PlanRefusedException(
                    RefusalCodes.StepsNotDone,
                    $"{(numbers.Count == 1 ? "Step" : "Steps")} {string.Join(", ", numbers)} of '{plan.Id}' {(numbers.Count == 1 ? "is" : "are")} not done.{problems} Commit each with commit_step (or report_blocker if one cannot be done), then hand in.");
            }

            if (Repository is not null)
            {
                RequireCommittedPlanFiles(plan, Repository);
            }

            return (plan, Repository?.HeadSha);
        });

        VerificationResult? verification = null;
        if (verifier is not null && !string.IsNullOrWhiteSpace(config.Verify.Command))
        {
            verification = await verifier.RunAsync(config.Verify.Command, TimeSpan.FromSeconds(config.Verify.TimeoutSeconds), head, cancellationToken);
            if (!verification.Passed && config.Verify.RefuseHandInOnFailure)
            {
                var outcome = verification.TimedOut ? $"timed out after {config.Verify.TimeoutSeconds} s" : $"exited with {verification.ExitCode}";
                throw new PlanRefusedException(
                    RefusalCodes.VerificationFailed,
                    $"The verification command `{verification.Command}` {outcome} on a clean checkout of commit {head?[..12] ?? "(none)"}, so the hand-in was refused and nothing was recorded. Fix the failures and commit the fix with commit_step, then hand in again. Last output:\n{verification.OutputTail}");
            }
        }

        var acceptanceRun = await acceptance.RunAsync(before, head, "the hand-in", cancellationToken);
        return journal.Locked(() =>
        {
            var plan = reader.ReadPlan(id);
            if (plan.Record.Revision != before.Record.Revision)
            {
                throw new PlanRefusedException(
                    RefusalCodes.PlanChanged,
                    $"Plan '{plan.Id}' changed while the verification ran (now {plan.State}). read_active_plan, then hand in again.");
            }

            if (Repository?.HeadSha is { } now && now != head)
            {
                throw new PlanRefusedException(
                    RefusalCodes.HeadMoved,
                    $"HEAD moved from {head?[..12] ?? "(none)"} to {now[..12]} while the verification ran, so its result is not about what is on the branch now. Hand in again.");
            }

            if (head is not null)
            {
                PublishHandedIn(plan, head);
            }

            var note = (verification is null ? "no verification command configured" : $"verification `{verification.Command}` exit {verification.ExitCode} in {verification.DurationMs} ms")
                + (head is null ? string.Empty : $" on commit {head[..12]}")
                + (acceptanceRun is null ? string.Empty : $"; acceptance tests {acceptanceRun.Summary}");
            return journal.Save(plan, actor, "submit_for_review", record => record with
            {
                Status = PlanStatus.InReview,
                LastVerification = verification ?? record.LastVerification,
                LastAcceptance = acceptanceRun ?? record.LastAcceptance,
                HandedInCommit = head,
            }, note);
        });
    }

    /// <summary>
    /// With a push remote, the handed-in commit (the one the verification ran on and the verdict binds to) must be on the
    /// remote, or a planner on another clone would review something else: a commit made after the last step is pushed here.
    /// </summary>
    private void PublishHandedIn(LoadedPlan plan, string head)
    {
        if (publisher() is not { } remote || remote.IsOnRemote(head))
        {
            return;
        }

        try
        {
            remote.Publish(plan.Id.Value, plan.Record.Steps.Count, head);
        }
        catch (PlanRefusedException refusal)
        {
            throw new PlanRefusedException(
                refusal.Code,
                $"The hand-in of '{plan.Id}' is commit {CommitId.Short(head)}, which is not on '{remote.RemoteName}', and pushing it failed, so a planner on another clone could not read it. Nothing was recorded. "
                + $"Bring your branch in line with '{remote.RemoteName}' without rewriting it (git fetch {remote.RemoteName}, then git merge the remote's branch), then hand in again.");
        }
    }

    /// <summary>Refuses a hand-in while files the plan lists (or its steps committed) differ from HEAD: the review and the
    /// verification see only commits, so uncommitted work there would be judged by what it is not.</summary>
    private void RequireCommittedPlanFiles(LoadedPlan plan, IRepositoryGateway git)
    {
        var loose = WorkflowGuards.UncommittedPlanFiles(plan, git, Store.PlansRoot);
        if (loose.Count > 0)
        {
            throw new PlanRefusedException(
                RefusalCodes.UncommittedChanges,
                $"Files of plan '{plan.Id}' have uncommitted changes: {string.Join(", ", loose.Take(30))}. The review and the verification see only what is committed: commit them with commit_step (naming the findings they address, in a fix round), or restore them (git restore <file>), then hand in.");
        }
    }
}
