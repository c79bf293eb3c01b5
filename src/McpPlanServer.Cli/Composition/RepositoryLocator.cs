namespace McpPlanServer.Cli.Composition;

/// <summary>Finds the repository a command works on: <c>--repo</c> if given, else the nearest folder up from the
/// working directory that contains <c>.git</c>. Outside a repository a command stops at once with the fix, before it
/// reads or writes anything (a planner that works and an implementer that fails later is worse than no start).</summary>
public static class RepositoryLocator
{
    public static string Find(string? repoOption) =>
        FindOrNull(repoOption) ?? throw new Commands.UsageException(
            $"{Directory.GetCurrentDirectory()} is not inside a git repository, and mcpplan keeps plans and step commits in one. Run `git init` there (and commit once), or pass --repo DIR with a repository's root folder.");

    /// <summary>The repository as <see cref="Find"/> resolves it, or the working directory when there is none and no
    /// <c>--repo</c> was given (for commands that also work outside a repository: the board's portfolio, lint).</summary>
    public static string FindOrWorkingDirectory(string? repoOption) => FindOrNull(repoOption) ?? Directory.GetCurrentDirectory();

    private static string? FindOrNull(string? repoOption)
    {
        if (!string.IsNullOrEmpty(repoOption))
        {
            var given = Path.GetFullPath(repoOption);
            if (!Directory.Exists(given))
            {
                throw new Commands.UsageException($"--repo {repoOption}: no such folder. Pass the repository's root folder.");
            }

            return IsRepositoryRoot(given)
                ? given
                : throw new Commands.UsageException($"--repo {repoOption}: not the root of a git repository (no .git there). Pass the repository's root folder, or run `git init` there first.");
        }

        for (var folder = new DirectoryInfo(Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
        {
            if (IsRepositoryRoot(folder.FullName))
            {
                return folder.FullName;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="folder"/> holds a <c>.git</c> folder, or a <c>.git</c> file (a linked worktree).</summary>
    public static bool IsRepositoryRoot(string folder) =>
        Directory.Exists(Path.Combine(folder, ".git")) || File.Exists(Path.Combine(folder, ".git"));
}
