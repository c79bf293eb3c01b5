using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Storage;

/// <summary>
/// The one exclusive lock shared by every mcpplan process and thread on a plans root: <c>flock(LOCK_EX | LOCK_NB)</c> on
/// the lock file's own open file description (what .NET does for <see cref="FileShare.None"/>), so the lock excludes
/// other processes and other threads alike, and the kernel drops it when the holder dies — a kill -9 can never leave a
/// stale lock. The lock file is opened with <c>O_NOFOLLOW</c> and never deleted.
/// </summary>
public sealed class CrossProcessLock : IDisposable
{
    private readonly FileStream stream;

    private CrossProcessLock(FileStream stream) => this.stream = stream;

    public static CrossProcessLock Acquire(string lockFilePath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var delay = 1;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (TryOpen(lockFilePath) is { } held)
                {
                    return held;
                }

                throw new IOException("The lock is held by another process.", 11);
            }
            catch (IOException error) when (IsContention(error))
            {
                if (DateTime.UtcNow >= deadline)
                {
                    throw new PlanRefusedException(
                        RefusalCodes.Busy,
                        $"Another mcpplan process has held the plans lock ({lockFilePath}) for over {timeout.TotalSeconds:0} s. Retry in a moment; if it persists, find the stuck process (fuser {lockFilePath}).");
                }

                Thread.Sleep(delay);
                delay = Math.Min(delay * 2, 50);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                throw AtomicFile.Translate(error, lockFilePath);
            }
        }
    }

    public void Dispose() => stream.Dispose();

    /// <summary>
    /// Opens the lock file without following a link (a dangling <c>.lock</c> link would otherwise create a file wherever
    /// it points) and takes the exclusive lock on it; null when another holder has it.
    /// </summary>
    private static CrossProcessLock? TryOpen(string lockFilePath)
    {
        if (!NoFollowFile.InKernel)
        {
            NoFollowFile.RequireNotLink(lockFilePath, Path.GetFileName(lockFilePath));
            return new CrossProcessLock(new FileStream(lockFilePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
        }

        var stream = NoFollowFile.Open(lockFilePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, $"The plans lock {lockFilePath}");
        if (NoFollowFile.TryLockExclusive(stream))
        {
            return new CrossProcessLock(stream);
        }

        stream.Dispose();
        return null;
    }

    private static bool IsContention(IOException error)
    {
        // EWOULDBLOCK (11) on Linux, 35 on macOS; sharing violation (32) on Windows.
        var code = error.HResult & 0xFFFF;
        return code is 11 or 35 or 32 || error.Message.Contains("being used by another process", StringComparison.OrdinalIgnoreCase);
    }
}
