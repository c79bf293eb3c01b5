using LibGit2Sharp;

namespace McpPlanServer.Git;

/// <summary>
/// Every worktree of a repository (the main one first) and the branch each has checked out, read from git's own admin
/// files (<c>HEAD</c>, <c>commondir</c>, <c>worktrees/*/gitdir</c>). A worktree whose folder is gone is left out.
/// </summary>
internal static class WorktreeMap
{
    private const string BranchPrefix = "ref: refs/heads/";
    private const int MaxPointerBytes = 4096;

    public static List<(string Path, string? Branch)> All(Repository repository)
    {
        var common = CommonDirectory(repository);
        var worktrees = new List<(string Path, string? Branch)>();
        if (string.Equals(Path.GetFileName(common), ".git", StringComparison.Ordinal) && Path.GetDirectoryName(common) is { } mainRoot)
        {
            worktrees.Add((mainRoot, Branch(Path.Join(common, "HEAD"))));
        }

        var admin = Path.Join(common, "worktrees");
        if (!Directory.Exists(admin))
        {
            return worktrees;
        }

        foreach (var folder in Directory.EnumerateDirectories(admin).Order(StringComparer.Ordinal))
        {
            if (ReadLine(Path.Join(folder, "gitdir")) is { } dotGit
                && Path.GetDirectoryName(Path.GetFullPath(dotGit, folder)) is { } path
                && Directory.Exists(path))
            {
                worktrees.Add((path, Branch(Path.Join(folder, "HEAD"))));
            }
        }

        return worktrees;
    }

    /// <summary>The main worktree's folder: where <c>.claude/worktrees/</c> lives.</summary>
    public static string? MainRoot(Repository repository)
    {
        var common = CommonDirectory(repository);
        return string.Equals(Path.GetFileName(common), ".git", StringComparison.Ordinal) ? Path.GetDirectoryName(common) : null;
    }

    /// <summary>True when this repository handle is a linked worktree (its git folder names a common directory).</summary>
    public static bool IsLinked(Repository repository) => File.Exists(Path.Join(repository.Info.Path, "commondir"));

    public static string? WorktreeOf(Repository repository, string branch) =>
        All(repository).FirstOrDefault(worktree => string.Equals(worktree.Branch, branch, StringComparison.Ordinal)).Path;

    public static string CommonDirectory(Repository repository)
    {
        var gitDirectory = Path.TrimEndingDirectorySeparator(repository.Info.Path);
        return ReadLine(Path.Join(gitDirectory, "commondir")) is { } pointer
            ? Path.TrimEndingDirectorySeparator(Path.GetFullPath(pointer, gitDirectory))
            : gitDirectory;
    }

    private static string? Branch(string headFile) =>
        ReadLine(headFile) is { } text && text.StartsWith(BranchPrefix, StringComparison.Ordinal) ? text[BranchPrefix.Length..] : null;

    public static string? ReadLine(string file)
    {
        try
        {
            var info = new FileInfo(file);
            if (!info.Exists || info.Length > MaxPointerBytes || info.LinkTarget is not null)
            {
                return null;
            }

            var text = File.ReadAllText(file).Trim();
            return text.Length == 0 || text.Contains('\n', StringComparison.Ordinal) ? null : text;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
