using LibGit2Sharp;

namespace McpPlanServer.Git;

/// <summary>Which files under a folder git would still have to commit (untracked, modified, deleted; ignored ones never).</summary>
public static class UncommittedFiles
{
    public static IReadOnlyList<string> Under(string repositoryRoot, string relativeFolder)
    {
        using var repository = new Repository(repositoryRoot);
        var status = repository.RetrieveStatus(new StatusOptions
        {
            IncludeUntracked = true,
            RecurseUntrackedDirs = true,
            IncludeIgnored = false,
            ExcludeSubmodules = true,
            PathSpec = [relativeFolder.TrimEnd('/') + "/"],
        });
        return [.. status.Where(entry => entry.State is not FileStatus.Unaltered and not FileStatus.Ignored).Select(entry => entry.FilePath.Replace('\\', '/'))];
    }
}
