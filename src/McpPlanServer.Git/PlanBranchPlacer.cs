using LibGit2Sharp;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Git;

/// <summary>
/// Gives a claimed plan its branch and a worktree, through LibGit2Sharp only (no hook or filter program of the repository
/// runs). The main worktree stays the person's: it is never switched; a linked worktree (Claude Code's <c>claude -w</c>) is
/// switched to the plan's branch only when nothing in it is uncommitted.
/// </summary>
internal static class PlanBranchPlacer
{
    public const string WorktreesFolder = ".claude/worktrees";

    public static PlanWorktree Place(Repository repository, string workingDirectory, string branch, string baseSha, string folder)
    {
        var created = false;
        if (repository.Branches[branch] is null)
        {
            var start = repository.Lookup<Commit>(baseSha)
                ?? throw new PlanRefusedException(RefusalCodes.CommitNotFound, $"The approval's base commit {baseSha[..Math.Min(12, baseSha.Length)]} is not in this repository, so {branch} cannot start there. Fetch it, or ask the person to approve the plan again.");
            repository.Branches.Add(branch, start);
            created = true;
        }

        try
        {
            return PlaceExisting(repository, workingDirectory, branch, folder);
        }
        catch
        {
            if (created && repository.Branches[branch] is { } fresh && WorktreeMap.WorktreeOf(repository, branch) is null)
            {
                repository.Branches.Remove(fresh);
            }

            throw;
        }
    }

    private static PlanWorktree PlaceExisting(Repository repository, string workingDirectory, string branch, string folder)
    {
        if (!repository.Info.IsHeadDetached && string.Equals(repository.Head.FriendlyName, branch, StringComparison.Ordinal))
        {
            return new PlanWorktree(branch, workingDirectory, "here");
        }

        if (WorktreeMap.WorktreeOf(repository, branch) is { } elsewhere)
        {
            return new PlanWorktree(branch, elsewhere, "existing");
        }

        if (WorktreeMap.IsLinked(repository))
        {
            RepositoryPreflight.Check(repository);
            var dirty = repository.RetrieveStatus(new StatusOptions { IncludeUntracked = false, ExcludeSubmodules = true })
                .Where(entry => entry.State is not FileStatus.Unaltered and not FileStatus.Ignored)
                .Select(entry => entry.FilePath)
                .ToList();
            if (dirty.Count > 0)
            {
                throw new PlanRefusedException(
                    RefusalCodes.WorktreeDirty,
                    $"This worktree ({workingDirectory}) has uncommitted changes ({string.Join(", ", dirty.Take(10))}), so it cannot switch to {branch}. Commit or stash them (git stash), then claim again.");
            }

            Commands.Checkout(repository, repository.Branches[branch], new CheckoutOptions());
            return new PlanWorktree(branch, workingDirectory, "switched");
        }

        return AddWorktree(repository, branch, folder);
    }

    private static PlanWorktree AddWorktree(Repository repository, string branch, string folder)
    {
        var mainRoot = WorktreeMap.MainRoot(repository)
            ?? throw new PlanRefusedException(RefusalCodes.WorktreeFailed, "The repository's main worktree cannot be found, so the plan's worktree has no place. Run git worktree list to check the repository.");
        var parent = Path.Join(mainRoot, WorktreesFolder);
        var path = Path.Join(parent, folder);
        if (Path.Exists(path))
        {
            throw new PlanRefusedException(
                RefusalCodes.WorktreeFailed,
                $"{WorktreesFolder}/{folder} exists but does not have {branch} checked out. Move it away (or git worktree remove it), then claim again.");
        }

        Directory.CreateDirectory(parent);
        if (new DirectoryInfo(parent).LinkTarget is not null)
        {
            throw new PlanRefusedException(RefusalCodes.WorktreeFailed, $"{WorktreesFolder} is a symbolic link; plan worktrees are made only in a real folder of the repository. Replace the link with a folder.");
        }

        // LibGit2Sharp's worktree add first creates a branch named after the worktree, then checks out the one asked for:
        // that helper branch is removed again (only when this call made it).
        var helperExisted = repository.Branches[folder] is not null;
        try
        {
            repository.Worktrees.Add(branch, folder, path, isLocked: false);
        }
        catch (LibGit2SharpException error)
        {
            throw new PlanRefusedException(RefusalCodes.WorktreeFailed, $"git could not add the worktree {WorktreesFolder}/{folder} for {branch} ({error.Message}). Check git worktree list and git worktree prune, then claim again.");
        }

        if (!helperExisted && repository.Branches[folder] is { } helper && WorktreeMap.WorktreeOf(repository, folder) is null)
        {
            repository.Branches.Remove(helper);
        }

        return new PlanWorktree(branch, path, "created");
    }

    public static PlanWorktreeRemoval? Remove(Repository repository, string branch, string folder)
    {
        var mainRoot = WorktreeMap.MainRoot(repository);
        var path = mainRoot is null ? null : Path.Join(mainRoot, WorktreesFolder, folder);
        if (path is null || !Directory.Exists(path))
        {
            return null;
        }

        var shown = $"{WorktreesFolder}/{folder}";
        if (!string.Equals(WorktreeMap.All(repository).FirstOrDefault(worktree => string.Equals(worktree.Path, path, StringComparison.Ordinal)).Branch, branch, StringComparison.Ordinal))
        {
            return new PlanWorktreeRemoval(shown, $"it does not have {branch} checked out");
        }

        using (var worktree = new Repository(path))
        {
            var loose = worktree.RetrieveStatus(new StatusOptions { IncludeUntracked = true, RecurseUntrackedDirs = true, ExcludeSubmodules = true })
                .Where(entry => entry.State is not FileStatus.Unaltered and not FileStatus.Ignored)
                .Select(entry => entry.FilePath)
                .ToList();
            if (loose.Count > 0)
            {
                return new PlanWorktreeRemoval(shown, $"it has uncommitted files ({string.Join(", ", loose.Take(10))})");
            }
        }

        Directory.Delete(path, recursive: true);
        if (repository.Worktrees[folder] is { } admin)
        {
            repository.Worktrees.Prune(admin, ifLocked: false);
        }

        // LibGit2Sharp's prune leaves git's admin folder of a worktree whose folder is gone (git worktree list still shows
        // it): removed as git worktree prune does, and only when its gitdir names this worktree.
        var adminFolder = Path.Join(WorktreeMap.CommonDirectory(repository), "worktrees", folder);
        if (WorktreeMap.ReadLine(Path.Join(adminFolder, "gitdir")) is { } gitdir && string.Equals(Path.GetFullPath(gitdir), Path.Join(path, ".git"), StringComparison.Ordinal))
        {
            Directory.Delete(adminFolder, recursive: true);
        }

        return new PlanWorktreeRemoval(shown, KeptBecause: null);
    }
}
