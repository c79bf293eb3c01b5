namespace McpPlanServer.Cli.Composition;

/// <summary>Finds the repository a command works on: <c>--repo</c> if given, else the nearest folder up from the
/// working directory that contains <c>.git</c>, else the working directory itself.</summary>
public static class RepositoryLocator
{
    public static string Find(string? repoOption)
    {
        if (!string.IsNullOrEmpty(repoOption))
        {
            var given = Path.GetFullPath(repoOption);
            return Directory.Exists(given)
                ? given
                : throw new Commands.UsageException($"--repo {repoOption}: no such folder. Pass the repository's root folder.");
        }

        var start = Directory.GetCurrentDirectory();
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (IsRepositoryRoot(folder.FullName))
            {
                return folder.FullName;
            }
        }

        return start;
    }

    /// <summary>Whether <paramref name="folder"/> holds a <c>.git</c> folder, or a <c>.git</c> file (a linked worktree).</summary>
    public static bool IsRepositoryRoot(string folder) =>
        Directory.Exists(Path.Combine(folder, ".git")) || File.Exists(Path.Combine(folder, ".git"));
}
