using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Storage;

/// <summary>
/// The one exclusive lock shared by every mcpplan process and thread on a plans root. On Unix .NET opens a file with
/// <see cref="FileShare.None"/> by taking <c>flock(LOCK_EX | LOCK_NB)</c> on its own open file description, so the
/// lock excludes other processes and other threads alike, and the kernel drops it when the holder dies — a kill -9
/// can never leave a stale lock. The lock file itself is never deleted.
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
                return new CrossProcessLock(new FileStream(lockFilePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
            }
            catch (IOException error) when (IsContention(error))
            {
                if (DateTime.UtcNow >= deadline)
                {
                    throw new PlanRefusedException(
                        "busy",
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

    private static bool IsContention(IOException error)
    {
        // EWOULDBLOCK (11) on Linux, 35 on macOS; sharing violation (32) on Windows.
        var code = error.HResult & 0xFFFF;
        return code is 11 or 35 or 32 || error.Message.Contains("being used by another process", StringComparison.OrdinalIgnoreCase);
    }
}
