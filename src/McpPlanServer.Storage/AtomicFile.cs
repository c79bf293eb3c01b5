using System.Runtime.InteropServices;
using McpPlanServer.Core.Diagnostics;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Storage;

/// <summary>
/// Crash-safe file replacement: write a temp file in the same folder, flush it to disk, rename it over the target,
/// then flush the folder. A reader sees the old content or the new, never a mix; a crash leaves at most a temp
/// file (<c>.name.random.tmp</c>) that <see cref="TempFileSweeper"/> removes at the next start.
/// </summary>
public static partial class AtomicFile
{
    public const string TempSuffix = ".tmp";

    public static void Write(string path, ReadOnlySpan<byte> content) => Write(path, content, NoFaultPoints.Instance);

    /// <summary>As <see cref="Write(string, ReadOnlySpan{byte})"/>, reporting its crash points to <paramref name="faults"/>.</summary>
    public static void Write(string path, ReadOnlySpan<byte> content, IFaultPoints faults)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
            {
                if (faults.Armed)
                {
                    stream.Write(content[..(content.Length / 2)]);
                    stream.Flush(flushToDisk: true);
                    faults.Reached("atomic-write:partial-temp");
                    stream.Write(content[(content.Length / 2)..]);
                }
                else
                {
                    stream.Write(content);
                }

                stream.Flush(flushToDisk: true);
            }

            faults.Reached("atomic-write:before-rename");
            File.Move(temp, path, overwrite: true);
            FlushFolder(folder);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw Translate(error, path);
        }
    }

    /// <summary>Moves a file with one rename (never a copy), refusing to replace an existing target.</summary>
    public static void Rename(string source, string target)
    {
        try
        {
            File.Move(source, target, overwrite: false);
            FlushFolder(Path.GetDirectoryName(Path.GetFullPath(target))!);
            FlushFolder(Path.GetDirectoryName(Path.GetFullPath(source))!);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw Translate(error, target);
        }
    }

    /// <summary>Maps the file system's answers to refusals that say what to do; nothing was changed when they are thrown.</summary>
    public static PlanRefusedException Translate(Exception error, string path)
    {
        const int NoSpace = 28, ReadOnlyFileSystem = 30, QuotaExceeded = 122;
        var code = error.HResult & 0xFFFF;
        var where = Path.GetDirectoryName(path);
        if (error is UnauthorizedAccessException || code == 13)
        {
            return new PlanRefusedException(RefusalCodes.PermissionDenied, $"Permission denied writing in {where}. Make the plans folder writable for this user and retry; nothing was changed.");
        }

        if (code is NoSpace or QuotaExceeded || error.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase) || error.Message.Contains("quota", StringComparison.OrdinalIgnoreCase))
        {
            return new PlanRefusedException(RefusalCodes.DiskFull, $"The disk holding {where} is full. Free some space and retry; nothing was changed.");
        }

        if (code == ReadOnlyFileSystem || error.Message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase))
        {
            return new PlanRefusedException(RefusalCodes.ReadOnly, $"{where} is on a read-only file system. Remount it writable (or move the plans root) and retry; nothing was changed.");
        }

        if (error is DirectoryNotFoundException)
        {
            return new PlanRefusedException(RefusalCodes.FolderMissing, $"The folder {where} does not exist (deleted while the server ran?). Run `mcpplan init` to recreate the plans folders, then retry.");
        }

        return new PlanRefusedException(RefusalCodes.IoError, $"Writing {Path.GetFileName(path)} failed: {error.Message}. Fix the cause and retry; nothing was changed.");
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // The sweeper removes it at the next start.
        }
    }

    /// <summary>fsync on the folder makes the rename itself durable (POSIX); Windows has no equivalent and needs none.</summary>
    private static void FlushFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var descriptor = Open(folder, 0);
        if (descriptor < 0)
        {
            return;
        }

        _ = Fsync(descriptor);
        _ = Close(descriptor);
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
