using LibGit2Sharp;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Git;

/// <summary>
/// The repository states in which a step commit must not happen. Each refusal names the state and how to get out of
/// it; locks are reported, never removed, because the process holding them may still be working.
/// </summary>
internal static class RepositoryPreflight
{
    public static void Check(Repository repository)
    {
        var gitDirectory = repository.Info.Path;
        if (File.Exists(Path.Combine(gitDirectory, "index.lock")))
        {
            throw Busy("the index is locked (.git/index.lock)");
        }

        if (File.Exists(Path.Combine(gitDirectory, "HEAD.lock")))
        {
            throw Busy("HEAD is locked (.git/HEAD.lock)");
        }

        // Before the detached-HEAD check: a rebase detaches HEAD, and "switch to your branch" would be the wrong advice.
        var operation = repository.Info.CurrentOperation;
        if (operation != CurrentOperation.None)
        {
            var (name, finish) = operation switch
            {
                CurrentOperation.Merge => ("a merge", "git merge --continue or git merge --abort"),
                CurrentOperation.Revert or CurrentOperation.RevertSequence => ("a revert", "git revert --continue or git revert --abort"),
                CurrentOperation.CherryPick or CurrentOperation.CherryPickSequence => ("a cherry-pick", "git cherry-pick --continue or git cherry-pick --abort"),
                CurrentOperation.Bisect => ("a bisect", "git bisect reset"),
                _ => ("a rebase", "git rebase --continue or git rebase --abort"),
            };
            throw new PlanRefusedException(
                RefusalCodes.OperationInProgress,
                $"{char.ToUpperInvariant(name[0])}{name[1..]} is in progress in this repository. Finish it ({finish}) before committing a step.");
        }

        if (repository.Info.IsHeadDetached)
        {
            throw new PlanRefusedException(
                RefusalCodes.DetachedHead,
                "HEAD is detached, so a step commit would belong to no branch. Check out the branch the plan is implemented on (git switch <branch>), then retry.");
        }

        var branchReference = repository.Refs.Head is SymbolicReference symbolic ? symbolic.TargetIdentifier : null;
        if (branchReference is not null && File.Exists(Path.Combine(gitDirectory, branchReference.Replace('/', Path.DirectorySeparatorChar) + ".lock")))
        {
            throw Busy($"the branch ref is locked (.git/{branchReference}.lock)");
        }
    }

    private static PlanRefusedException Busy(string what) =>
        new(RefusalCodes.RepositoryBusy, $"Repository busy: {what}. Another git process is working; wait for it to finish and retry. Do not delete the lock unless you are sure no git process is running.");
}
