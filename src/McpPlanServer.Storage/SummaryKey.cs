using System.Security.Cryptography;

namespace McpPlanServer.Storage;

/// <summary>
/// The per-user secret that signs shared summary files: 32 random bytes in <c>$XDG_STATE_HOME/mcpplan/summary.key</c>
/// (default <c>~/.local/state</c>), created on first use with mode 0600, never inside a repository. An agent that can read
/// it can forge a summary, as it can forge records and journal alike (see docs/security.md); the OS sandbox's
/// read and write rules are the hard edge for both.
/// </summary>
internal static class SummaryKey
{
    private const int Length = 32;

    /// <summary>The key, created if missing; null when there is no home to keep it in or it cannot be read.</summary>
    public static byte[]? ForUser()
    {
        var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME") is { Length: > 0 } configured && Path.IsPathRooted(configured)
            ? configured
            : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home ? Path.Combine(home, ".local", "state") : null;
        if (state is null)
        {
            return null;
        }

        var path = Path.Combine(state, "mcpplan", "summary.key");
        try
        {
            if (!File.Exists(path))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                Create(path);
            }

            using var stream = NoFollowFile.Open(path, FileMode.Open, FileAccess.Read, path);
            var key = new byte[Length];
            return stream.Length == Length && stream.Read(key) == Length ? key : null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or McpPlanServer.Core.Workflow.PlanRefusedException)
        {
            return null;
        }
    }

    private static void Create(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var stream = new FileStream(path, options);
            stream.Write(RandomNumberGenerator.GetBytes(Length));
            stream.Flush(flushToDisk: true);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: use theirs.
        }
    }
}
