using McpPlanServer.Core.Acceptance;
using McpPlanServer.Core.Drift;
using McpPlanServer.Core.Evidence;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Reviews;

namespace McpPlanServer.Core.Workflow;

/// <summary>
/// What the reviewer sees of an implementation: the step commits with their diff pages as git has them now (on the
/// branch or not, reverted or not, under which approval), the drift, commits made around commit_step, loose ends.
/// </summary>
internal sealed class ImplementationEvidenceReader(PlanReader reader, PlanAcceptance acceptance, Func<IBranchPublisher?> publisher)
{
    /// <summary>The Plan-Approval trailer: the first 16 hex digits of the approval hash (the text's, with its acceptance tests).</summary>
    public static string ApprovalTag(Approval approval) => approval.ApprovedSha256[..Math.Min(16, approval.ApprovedSha256.Length)];

    /// <summary>The evidence for a review: commits per step with diff pages, drift, foreign commits, loose ends.</summary>
    public ImplementationEvidence Review(string id, string? commitSha, int diffOffset, int maxDiffBytes)
    {
        _ = WorkflowGuards.RequireRepository(reader.Repository);
        var fetchWarning = publisher()?.Fetch(); // the remote's latest before the evidence is read
        var plan = reader.ReadPlan(id);
        var git = reader.RepositoryFor(plan.Record)!;
        if (plan.Location.Folder == PlanFolder.Review)
        {
            throw new PlanRefusedException(RefusalCodes.WrongState, $"Plan '{plan.Id}' is in Review: nothing has been implemented yet. {PlanLifecycle.NextStepHint(plan.State, plan.Id.Value)}");
        }

        if (commitSha is not null)
        {
            commitSha = CommitPrefix.Resolve(commitSha, plan.Record.Steps.SelectMany(step => step.Commits).Select(commit => commit.Sha));
        }

        var baseCommit = plan.Record.Approval?.BaseCommit;
        var commits = git.CommitsSince(baseCommit, 500);
        var recorded = plan.Record.Steps.SelectMany(step => step.Commits).ToDictionary(commit => commit.Sha, StringComparer.Ordinal);
        var bySha = commits.ToDictionary(commit => commit.Sha, StringComparer.Ordinal);
        var presence = BranchTruth.Check([.. recorded.Values], git);
        var approvalTag = plan.Record.Approval is { } approval ? ApprovalTag(approval) : null;
        var warnings = new List<string>();
        if (fetchWarning is not null)
        {
            warnings.Add(fetchWarning);
        }

        var recordedCount = Math.Max(1, recorded.Count);
        var perCommitBudget = commitSha is null ? Math.Max(2_000, maxDiffBytes / recordedCount) : maxDiffBytes;
        var truncated = false;

        var steps = plan.Record.Steps.Select(step => new StepEvidence(
            step.Number,
            step.Title,
            step.Done,
            [.. step.Commits.Where(commit => commitSha is null || commit.Sha == commitSha).Select(commit =>
            {
                var found = presence.GetValueOrDefault(commit.Sha) ?? new StepCommitPresence(commit.Sha, true, true, []);
                var facts = bySha.TryGetValue(commit.Sha, out var listed)
                    ? git.WithFiles(listed)
                    : found.Exists
                        ? git.WithFiles(new CommitFacts(commit.Sha, commit.Message.Split('\n')[0], commit.Message, "?", commit.At, new Dictionary<string, IReadOnlyList<string>>(), []))
                        : new CommitFacts(commit.Sha, commit.Message.Split('\n')[0], commit.Message, "?", commit.At, new Dictionary<string, IReadOnlyList<string>>(), []);
                var page = found.Exists ? git.CommitDiff(commit.Sha, commitSha is null ? 0 : diffOffset, perCommitBudget) : new DiffPage(commit.Sha, string.Empty, 0, 0, null);
                truncated |= page.Truncated;
                var approvalInCommit = facts.Trailer("Plan-Approval") ?? commit.Approval;
                var approvalCurrent = approvalTag is not null && approvalInCommit == approvalTag;
                if (!found.OnBranch)
                {
                    warnings.Add($"Step {step.Number} commit {commit.Sha[..12]} is no longer on the branch: the step is not done.");
                }

                if (found.RevertedPaths.Count > 0)
                {
                    warnings.Add($"Step {step.Number} commit {commit.Sha[..12]}: a later commit put {string.Join(", ", found.RevertedPaths)} back to the content before the step.");
                }

                if (!approvalCurrent)
                {
                    warnings.Add($"Step {step.Number} commit {commit.Sha[..12]} carries Plan-Approval {approvalInCommit ?? "(none)"}, not the approval in force ({approvalTag ?? "none"}): it was made under another approved text or outside commit_step.");
                }

                if (commit.IndexStale)
                {
                    warnings.Add($"Step {step.Number} commit {commit.Sha[..12]} was made while another process held index.lock; git's index did not follow, so check that later commits did not undo it.");
                }

                return new CommitEvidence(facts, commit.UnplannedFiles, commit.DeviationReason, page)
                {
                    OnBranch = found.OnBranch,
                    RevertedPaths = found.RevertedPaths,
                    Approval = approvalInCommit,
                    ApprovalCurrent = approvalCurrent,
                    IndexStale = commit.IndexStale,
                };
            })])
            {
                Problem = step.Problem,
            }).ToList();

        warnings.AddRange(HandedInWarnings(plan.Record.HandedInCommit, git));
        var touched = recorded.Values.SelectMany(commit => commit.Files).Distinct(StringComparer.Ordinal).ToList();
        var outside = commits.Where(commit => !recorded.ContainsKey(commit.Sha)).Select(git.WithFiles).ToList();
        var uncommitted = git.UncommittedChanges(reader.Store.PlansRoot);
        warnings.AddRange(GuardedEdits.Find(outside, uncommitted, reader.Store.PlansRoot).Concat(ObservedEdits(plan)).Select(edit => edit.Describe())); // clients without hooks, or hooks that only watch
        return new ImplementationEvidence(
            plan.Id.Value,
            baseCommit,
            git.HeadSha,
            steps,
            DriftAnalyzer.UntouchedPlannedFiles(plan.Document.PlannedFiles, touched),
            DriftAnalyzer.UnplannedFiles(touched, plan.Document.PlannedFiles),
            outside,
            uncommitted,
            [.. plan.Record.Steps.Where(step => !step.Done).Select(step => step.Number)],
            plan.Record.LastVerification,
            truncated
                ? $"Diffs are cut to about {perCommitBudget} characters per commit. For the rest, call review_implementation with commit set to that commit's id and diff_offset set to its next_offset."
                : null,
            plan.Record.Approval,
            plan.ApprovalValid)
        {
            HandedInCommit = plan.Record.HandedInCommit,
            Warnings = [.. warnings.Distinct(StringComparer.Ordinal)],
            Checklist = ReviewChecklist.Items(plan.Document),
            Acceptance = acceptance.Evidence(plan, git, outside, uncommitted),
        };
    }

    /// <summary>
    /// The branch read here is the plan's branch as this clone has it (a local branch, a worktree, or a remote-tracking
    /// ref anyone with a shell can move); the review's verdict binds to the handed-in commit, where the verification ran.
    /// Says when the two differ, so a moved or forged ref cannot pass for what was handed in.
    /// </summary>
    internal static IEnumerable<string> HandedInWarnings(string? handedIn, IRepositoryGateway git)
    {
        if (handedIn is null)
        {
            yield break;
        }

        var head = git.HeadSha;
        if (head == handedIn)
        {
            yield break;
        }

        var found = git.Presence([new StepCommitProbe(handedIn, [])])[0];
        var tip = head is null ? "nothing" : CommitId.Short(head);
        yield return !found.Exists
            ? $"The handed-in commit {CommitId.Short(handedIn)} is not in this clone (the fetch did not bring it): the diffs and steps here are not what was handed in, and submit_review is refused until it is here. Check the remote, then call review_implementation again."
            : found.OnBranch
                ? $"The plan's branch here is at {tip}, past the handed-in commit {CommitId.Short(handedIn)}: the commits after it (under commits outside commit_step) are not part of the hand-in. The verdict binds to {CommitId.Short(handedIn)}, where the verification ran."
                : $"The plan's branch here ({tip}) does not hold the handed-in commit {CommitId.Short(handedIn)}: what is read here is not what was handed in. The verdict binds to {CommitId.Short(handedIn)}, where the verification ran.";
    }

    /// <summary>Edits since the plan's approval that a hook would have denied the implementer (<see cref="GuardedEdits"/>).</summary>
    public IReadOnlyList<GuardedEdit> EditsAroundHooks(LoadedPlan plan) => reader.Repository is { } repository && plan.Record.Approval is not null
        ? [.. GuardedEdits.Find(CommitsOutsideCommitStep(plan), repository.UncommittedChanges(reader.Store.PlansRoot), reader.Store.PlansRoot), .. ObservedEdits(plan)]
        : [];

    /// <summary>Edits a client's hook saw only after they happened (Cursor's afterFileEdit), since the plan's approval.</summary>
    public IReadOnlyList<GuardedEdit> ObservedEdits(LoadedPlan plan) => plan.Record.Approval is { } approval
        ? [.. reader.Store.ReadObservedEdits().Where(edit => edit.At >= approval.At).Select(edit => GuardedEdits.Observed(edit, reader.Store.PlansRoot))]
        : [];

    /// <summary>Commits made since approval that do not carry this plan's trailers: someone committed around commit_step.</summary>
    public IReadOnlyList<CommitFacts> CommitsOutsideCommitStep(LoadedPlan plan)
    {
        if (reader.RepositoryFor(plan.Record) is not { } repository || plan.Record.Approval is null)
        {
            return [];
        }

        var recorded = plan.Record.Steps.SelectMany(step => step.Commits).Select(commit => commit.Sha).ToHashSet(StringComparer.Ordinal);
        return repository.CommitsSince(plan.Record.Approval?.BaseCommit, 500).Where(commit => !recorded.Contains(commit.Sha)).Select(repository.WithFiles).ToList();
    }
}
