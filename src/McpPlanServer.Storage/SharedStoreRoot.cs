namespace McpPlanServer.Storage;

/// <summary>
/// Where the one plan store of a repository lives: the main worktree, found through the repository's common git
/// directory, so that a server, hook or CLI started in a linked worktree (<c>git worktree add</c>, or Claude Code's
/// <c>claude -w NAME</c> under <c>.claude/worktrees/NAME</c>) works on the same plans, records, journal and lock.
/// The link is trusted only when git's own back-link agrees: the worktree's admin folder must name this worktree's
/// <c>.git</c> file; otherwise (a hand-made <c>.git</c> file, a submodule, a bare repository) the folder keeps its own store.
/// </summary>
public static class SharedStoreRoot
{
    private const int MaxPointerBytes = 4096;

    public static string For(string worktreeRoot)
    {
        var dotGit = Path.Join(worktreeRoot, ".git");
        if (Directory.Exists(dotGit) || !File.Exists(dotGit))
        {
            return worktreeRoot;
        }

        var adminFolder = ReadPointer(dotGit, "gitdir:", worktreeRoot);
        var commonFile = adminFolder is null ? null : Path.Join(adminFolder, "commondir");
        if (commonFile is null || !File.Exists(commonFile))
        {
            return worktreeRoot;
        }

        var commonDirectory = ReadPointer(commonFile, prefix: null, adminFolder!);
        var backLink = ReadPointer(Path.Join(adminFolder!, "gitdir"), prefix: null, adminFolder!);
        if (commonDirectory is null || backLink is null || !SamePlace(backLink, dotGit)
            || !string.Equals(Path.GetFileName(Path.TrimEndingDirectorySeparator(commonDirectory)), ".git", StringComparison.Ordinal))
        {
            return worktreeRoot;
        }

        var mainRoot = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(commonDirectory));
        return mainRoot is not null && Directory.Exists(Path.Join(mainRoot, ".git")) ? RealPath.Resolve(mainRoot, "/") : worktreeRoot;
    }

    private static bool SamePlace(string left, string right) =>
        string.Equals(RealPath.Resolve(Path.GetFullPath(left), "/"), RealPath.Resolve(Path.GetFullPath(right), "/"), StringComparison.Ordinal);

    private static string? ReadPointer(string file, string? prefix, string baseDirectory)
    {
        try
        {
            var info = new FileInfo(file);
            if (!info.Exists || info.Length > MaxPointerBytes)
            {
                return null;
            }

            var text = File.ReadAllText(file).Trim();
            if (prefix is not null)
            {
                if (!text.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return null;
                }

                text = text[prefix.Length..].Trim();
            }

            return text.Length == 0 || text.Contains('\n') ? null : Path.GetFullPath(text, baseDirectory);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
