using System.Globalization;

namespace McpPlanServer.Storage.Postgres;

/// <summary>
/// For the benchmarks: with <c>MCPPLAN_LOCK_LOG</c> naming a folder, each process appends to its own file there one line
/// per wait for the repository's lock (<c>wait &lt;ms&gt;</c>) and per hold of it (<c>hold &lt;ms&gt;</c>), so a bench can tell
/// time spent queueing for the lock from time spent queueing for the CPU. Unset (always, outside benchmarks): nothing.
/// </summary>
internal static class LockTimings
{
    private static readonly StreamWriter? Log = Open(Environment.GetEnvironmentVariable("MCPPLAN_LOCK_LOG"));

    public static void Waited(TimeSpan wait) => Write("wait", wait);

    public static void Held(TimeSpan hold) => Write("hold", hold);

    private static void Write(string what, TimeSpan time)
    {
        if (Log is null)
        {
            return;
        }

        lock (Log)
        {
            Log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what} {time.TotalMilliseconds:0.###}"));
        }
    }

    private static StreamWriter? Open(string? folder)
    {
        if (string.IsNullOrEmpty(folder) || !Directory.Exists(folder))
        {
            return null;
        }

        return new StreamWriter(Path.Combine(folder, $"{Environment.ProcessId}.log"), append: true) { AutoFlush = true };
    }
}
