namespace McpPlanServer.Storage;

/// <summary>
/// Removes temp files a killed writer left behind. Call only under the lock, when no write is in flight. It never
/// follows a link: a linked folder is not entered (it may lead outside the repository), each folder is checked again
/// right before its files are deleted, and a temp-named link is removed as a link, never its target.
/// </summary>
public static class TempFileSweeper
{
    private static readonly EnumerationOptions OneLevel = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = true,
        AttributesToSkip = 0,
        MatchType = MatchType.Simple,
    };

    public static int Sweep(string directory, bool recursive)
    {
        var folder = new DirectoryInfo(directory);
        if (!folder.Exists || folder.LinkTarget is not null)
        {
            return 0;
        }

        var removed = 0;
        var subfolders = new List<DirectoryInfo>();
        foreach (var entry in folder.EnumerateFileSystemInfos("*", OneLevel))
        {
            if (entry is DirectoryInfo subfolder)
            {
                if (recursive && subfolder.LinkTarget is null)
                {
                    subfolders.Add(subfolder);
                }

                continue;
            }

            if (IsTempName(entry.Name) && new FileInfo(directory).LinkTarget is null)
            {
                try
                {
                    // unlink(2) removes a link itself, never what it points at.
                    File.Delete(entry.FullName);
                    removed++;
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                {
                    // Left for the next start; a temp file is never read as data.
                }
            }
        }

        foreach (var subfolder in subfolders)
        {
            removed += Sweep(subfolder.FullName, recursive);
        }

        return removed;
    }

    private static bool IsTempName(string name) =>
        name.Length > 1 + AtomicFile.TempSuffix.Length && name[0] == '.' && name.EndsWith(AtomicFile.TempSuffix, StringComparison.Ordinal);
}
