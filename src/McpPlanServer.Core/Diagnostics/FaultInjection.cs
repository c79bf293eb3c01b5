using System.Runtime.InteropServices;

namespace McpPlanServer.Core.Diagnostics;

/// <summary>
/// Crash points for tests only. Inert unless the environment variable <c>MCPPLAN_FAULT</c> names a point
/// (comma-separated); <c>MCPPLAN_FAULT_SKIP=N</c> lets the first N hits pass. When a point fires, the process kills
/// itself with SIGKILL on the spot, exactly like <c>kill -9</c>: no finally blocks, no flushing, no cleanup.
/// </summary>
public static partial class FaultInjection
{
    private static readonly HashSet<string> Points = new(
        (Environment.GetEnvironmentVariable("MCPPLAN_FAULT") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        StringComparer.Ordinal);

    private static int skip = int.TryParse(Environment.GetEnvironmentVariable("MCPPLAN_FAULT_SKIP"), out var n) ? n : 0;

    /// <summary>Replaces the kill in in-process tests, so a test can observe the state at the crash point.</summary>
    internal static Action<string>? OnFault { get; set; }

    public static bool Enabled => Points.Count > 0 || OnFault is not null;

    public static void Hit(string point)
    {
        if (OnFault is { } observe)
        {
            observe(point);
            return;
        }

        if (Points.Count == 0 || !Points.Contains(point) || Interlocked.Decrement(ref skip) >= 0)
        {
            return;
        }

        Console.Error.WriteLine($"mcpplan: fault injection '{point}': killing this process (SIGKILL)");
        Console.Error.Flush();
        if (OperatingSystem.IsWindows())
        {
            Environment.FailFast($"fault injection: {point}");
        }

        _ = Kill(Environment.ProcessId, 9);
        Thread.Sleep(Timeout.Infinite);
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
