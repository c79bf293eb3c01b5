using System.Diagnostics;
using LibGit2Sharp;
using McpPlanServer.Core.Evidence;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Git;

/// <summary>
/// Integrates a verified commit into a branch: the merge is computed in git's object database (nothing moves), and the
/// branch moves only by fast-forward to that result — with <c>git merge --ff-only</c> in the worktree that has it checked
/// out (so its files follow and git's own dirty-tree checks apply), or <c>git update-ref</c> with the expected old value.
/// History is never rewritten.
/// </summary>
public sealed class BranchIntegrator(string repositoryRoot) : IBranchIntegrator
{
    public string? CurrentBranch
    {
        get
        {
            using var repository = new Repository(repositoryRoot);
            return repository.Info.IsHeadDetached || repository.Info.IsHeadUnborn ? null : repository.Head.FriendlyName;
        }
    }

    public IntegrationCandidate Prepare(string targetBranch, string commitSha, string baseSha, IReadOnlyCollection<string> planFiles)
    {
        using var repository = new Repository(repositoryRoot);
        var branch = repository.Branches[targetBranch];
        if (branch is null || branch.IsRemote || branch.Tip is null)
        {
            throw new PlanRefusedException(RefusalCodes.UnknownBranch, $"There is no local branch '{targetBranch}' with commits. Name the target with --into BRANCH.");
        }

        var source = repository.Lookup<Commit>(commitSha)
            ?? throw new PlanRefusedException(RefusalCodes.CommitMissing, $"The verified commit {commitSha[..12]} is not in this repository. Was the plan's branch deleted?");
        var baseCommit = repository.Lookup<Commit>(baseSha) ?? source;
        var tip = branch.Tip;
        var mergeBase = repository.ObjectDatabase.FindMergeBase(tip, source);
        if (mergeBase?.Sha == source.Sha)
        {
            throw new PlanRefusedException(RefusalCodes.AlreadyIntegrated, $"{targetBranch} already contains the verified commit {source.Sha[..12]}; run mcpplan complete instead.");
        }

        var planned = planFiles.ToHashSet(StringComparer.Ordinal);
        var onPlan = ChangedPaths(baseCommit, source);
        var onTarget = ChangedPaths(baseCommit, tip);
        var outside = onPlan.Where(path => !planned.Contains(path) && onTarget.Contains(path)).Order(StringComparer.Ordinal).ToList();
        if (outside.Count > 0)
        {
            throw new PlanRefusedException(
                RefusalCodes.OutsideFiles,
                $"The plan's branch changes {string.Join(", ", outside)}, which the plan does not list and {targetBranch} changed since the plan's base: merging could lose that work. Nothing was changed. Revise the plan to list them, or reconcile by hand.");
        }

        if (mergeBase?.Sha == tip.Sha)
        {
            return new IntegrationCandidate(targetBranch, tip.Sha, source.Sha, FastForward: true);
        }

        var merged = repository.ObjectDatabase.MergeCommits(tip, source, new MergeTreeOptions { FailOnConflict = false });
        if (merged.Status == MergeTreeStatus.Conflicts)
        {
            var files = merged.Conflicts.Select(conflict => (conflict.Ours ?? conflict.Theirs ?? conflict.Ancestor).Path).Distinct().Order(StringComparer.Ordinal);
            throw new PlanRefusedException(
                RefusalCodes.MergeConflict,
                $"Merging into {targetBranch} conflicts in {string.Join(", ", files)}. Nothing was changed. The implementer merges {targetBranch} into the plan's branch and resolves them; the plan is then reviewed again.");
        }

        var signature = repository.Config.BuildSignature(DateTimeOffset.Now) ?? new Signature("mcpplan", "mcpplan@localhost", DateTimeOffset.Now);
        var commit = repository.ObjectDatabase.CreateCommit(signature, signature, $"Integrate {source.Sha[..12]} into {targetBranch}\n", merged.Tree, [tip, source], prettifyMessage: false);
        return new IntegrationCandidate(targetBranch, tip.Sha, commit.Sha, FastForward: false);
    }

    public void Advance(IntegrationCandidate candidate)
    {
        var checkedOutIn = RequireMovable(candidate);
        if (checkedOutIn is null)
        {
            // Compare-and-swap: git moves the ref only while it still points at the tip the merge was computed on.
            try
            {
                Git(repositoryRoot, "update-ref", $"refs/heads/{candidate.TargetBranch}", candidate.ResultSha, candidate.TargetTip);
            }
            catch (PlanRefusedException)
            {
                RequireUnmoved(candidate);
                throw;
            }

            return;
        }

        // Refuses by itself unless the worktree's HEAD fast-forwards to the result (and its files allow it).
        Git(checkedOutIn, "merge", "--ff-only", "-q", candidate.ResultSha);
    }

    public void Publish(IntegrationCandidate candidate, string remoteName)
    {
        RequireMovable(candidate); // not pushed when the move here would be refused
        try
        {
            Git(repositoryRoot, "push", "-q", remoteName, $"{candidate.ResultSha}:refs/heads/{candidate.TargetBranch}");
        }
        catch (PlanRefusedException refusal)
        {
            throw new PlanRefusedException(
                RefusalCodes.PushRejected,
                $"'{remoteName}' did not take {candidate.TargetBranch} at {candidate.ResultSha[..12]} ({refusal.Message}) Nothing was integrated here either. "
                + $"Bring {candidate.TargetBranch} in line with '{remoteName}' (git pull --ff-only {remoteName} {candidate.TargetBranch}), then run mcpplan integrate again.");
        }
    }

    /// <summary>
    /// Refuses unless the target can move to the result now: it still points at the tip the merge was computed on, and a
    /// worktree that has it checked out can take the result's files (git's own check, as a dry run: no uncommitted change
    /// there is overwritten). Returns that worktree, or null when none has the branch checked out.
    /// </summary>
    private string? RequireMovable(IntegrationCandidate candidate)
    {
        RequireUnmoved(candidate);
        var checkedOutIn = WorktreeOf(candidate.TargetBranch);
        if (checkedOutIn is null)
        {
            return null;
        }

        // As git merge does first: files whose stat data is stale but whose content is unchanged are not "changes".
        Git(checkedOutIn, "update-index", "-q", "--refresh");
        try
        {
            Git(checkedOutIn, "read-tree", "-m", "-u", "-n", candidate.TargetTip, candidate.ResultSha);
        }
        catch (PlanRefusedException refusal)
        {
            throw new PlanRefusedException(
                RefusalCodes.UncommittedChanges,
                $"{candidate.TargetBranch} is checked out in {checkedOutIn}, and moving it would overwrite changes there that are not committed ({refusal.Message}) "
                + "Commit or stash them in that worktree, then run mcpplan integrate again.");
        }

        return checkedOutIn;
    }

    /// <summary>Refuses with <c>target_moved</c> when the target branch no longer points at the tip the merge was computed on.</summary>
    private void RequireUnmoved(IntegrationCandidate candidate)
    {
        var tip = Git(repositoryRoot, "rev-parse", "--verify", "-q", $"refs/heads/{candidate.TargetBranch}^{{commit}}").Trim();
        if (tip != candidate.TargetTip)
        {
            throw new PlanRefusedException(
                RefusalCodes.TargetMoved,
                $"{candidate.TargetBranch} moved to {CommitId.Short(tip)} while integrating (the merge was computed on {CommitId.Short(candidate.TargetTip)}). Nothing was changed; run mcpplan integrate again.");
        }
    }

    private static HashSet<string> ChangedPaths(Commit from, Commit to) =>
        TreeComparer.Compare(from.Tree, to.Tree).Select(difference => difference.Path).ToHashSet(StringComparer.Ordinal);

    private string? WorktreeOf(string branch)
    {
        string? current = null;
        foreach (var line in Git(repositoryRoot, "worktree", "list", "--porcelain").Split('\n'))
        {
            if (line.StartsWith("worktree ", StringComparison.Ordinal))
            {
                current = line["worktree ".Length..];
            }
            else if (line == $"branch refs/heads/{branch}")
            {
                return current;
            }
        }

        return null;
    }

    private static string Git(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["GIT_TERMINAL_PROMPT"] = "0"; // a push that needs credentials fails instead of waiting for input
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new PlanRefusedException(RefusalCodes.GitFailed, "git could not be started. Install git and retry.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? output.Result
            : throw new PlanRefusedException(RefusalCodes.GitFailed, $"git {arguments[0]} refused: {error.Trim()} Nothing was integrated; fix this and run mcpplan integrate again.");
    }
}
