using LibGit2Sharp;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Git;

/// <summary>
/// Pushes the plan's branch to the configured remote after each step commit, through LibGit2Sharp (file and path
/// remotes work offline; network remotes need the credentials git itself would not prompt for here). A rejected push
/// is a refusal that says what happens next: the local commit stays, nothing is recorded, and commit_step for the same
/// step pushes that commit and records it without making a second one.
/// </summary>
public sealed class BranchPublisher(string repositoryRoot, string remoteName) : IBranchPublisher
{
    public string RemoteName => remoteName;

    public void Publish(string planId, int step, string sha)
    {
        using var repository = new Repository(repositoryRoot);
        var remote = repository.Network.Remotes[remoteName] ?? throw new PlanRefusedException(
            "no_remote",
            $"The config names pushRemote '{remoteName}', but this repository has no such remote. Step {step} of '{planId}' was committed locally as {sha[..12]} and nothing was recorded: the person adds the remote (git remote add {remoteName} URL) or changes pushRemote, then commit_step for step {step} again pushes and records it.");
        if (repository.Info.IsHeadDetached)
        {
            throw new PlanRefusedException("detached_head", $"HEAD is detached, so there is no branch to push to '{remoteName}'. Check out the plan's branch and call commit_step for step {step} again.");
        }

        var branch = repository.Head.CanonicalName;
        string? rejected = null;
        try
        {
            repository.Network.Push(remote, $"{branch}:{branch}", new PushOptions { OnPushStatusError = error => rejected = error.Message });
        }
        catch (LibGit2SharpException error)
        {
            rejected = error.Message;
        }

        if (rejected is not null)
        {
            throw new PlanRefusedException(
                RefusalCodes.PushRejected,
                $"Step {step} of '{planId}' was committed locally as {sha[..12]} on {repository.Head.FriendlyName}, but the push to '{remoteName}' failed: {rejected.Trim()}. " +
                $"Nothing was recorded as done. The commit stays on your branch: bring the branch in line with '{remoteName}' without rewriting it " +
                $"(git fetch {remoteName} && git merge {remoteName}/{repository.Head.FriendlyName}), then call commit_step for step {step} again: it pushes this commit and records it, with no second commit.");
        }

        // As git does after a push: the remote-tracking branch now points where the remote's branch does.
        repository.Refs.Add($"refs/remotes/{remoteName}/{repository.Head.FriendlyName}", repository.Head.Tip.Id, allowOverwrite: true);
    }

    public string? Fetch()
    {
        using var repository = new Repository(repositoryRoot);
        if (repository.Network.Remotes[remoteName] is not { } remote)
        {
            return $"The push remote '{remoteName}' is not configured in this clone, so nothing was fetched: what follows is read from the local branches, which may be behind the other machines. Add it (git remote add {remoteName} <url>) or fix pushRemote in the config.";
        }

        try
        {
            Commands.Fetch(repository, remote.Name, remote.FetchRefSpecs.Select(spec => spec.Specification), new FetchOptions(), null);
            return null;
        }
        catch (LibGit2SharpException error)
        {
            // Unreachable remote: the views then say the commit is not (known to be) on the remote, and the caller says why.
            return $"Fetching from '{remoteName}' failed ({error.Message.Trim()}), so what follows is read from the local branches as last fetched, which may be behind the other machines. Check the remote (git fetch {remoteName}), then read again.";
        }
    }

    public bool IsOnRemote(string sha)
    {
        using var repository = new Repository(repositoryRoot);
        if (repository.Lookup<Commit>(sha) is not { } commit)
        {
            return false;
        }

        var prefix = $"refs/remotes/{remoteName}/";
        return repository.Refs.Where(reference => reference.CanonicalName.StartsWith(prefix, StringComparison.Ordinal))
            .Select(reference => reference.ResolveToDirectReference()?.Target as Commit)
            .Any(tip => tip is not null && (tip.Sha == commit.Sha || repository.ObjectDatabase.FindMergeBase(tip, commit)?.Sha == commit.Sha));
    }
}
