namespace McpPlanServer.Storage;

/// <summary>Removes temp files a killed writer left behind. Call only under the lock, when no write is in flight.</summary>
public static class TempFileSweeper
{
    public static int Sweep(string directory, bool recursive)
    {
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        var removed = 0;
        var option = recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly;
        foreach (var file in Directory.EnumerateFiles(directory, "." + "*" + AtomicFile.TempSuffix, option))
        {
            try
            {
                File.Delete(file);
                removed++;
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // Left for the next start; a temp file is never read as data.
            }
        }

        return removed;
    }
}
