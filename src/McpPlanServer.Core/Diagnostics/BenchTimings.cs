using System.Globalization;

namespace McpPlanServer.Core.Diagnostics;

/// <summary>
/// For the benchmarks: with <c>MCPPLAN_LOCK_LOG</c> naming a folder, each process appends to its own file there one line
/// per timed phase, <c>&lt;what&gt; &lt;ms&gt;</c>: a wait for one of the store's locks (<c>wait</c>), a hold of it
/// (<c>hold</c>), a claim's phases (<c>claim-checks</c>, <c>claim-place</c>, <c>claim-write</c>), a whole tool call as the
/// server saw it (<c>tool:&lt;name&gt;</c>), the phases of one <c>commit_step</c> (<c>step:&lt;phase&gt;</c>), each wake-up
/// of the change listener with the notifications it carried (<c>wake</c>), and a listing's parts (<c>listing:kept</c>,
/// <c>listing:rows-since</c>, <c>listing:whole</c>: the PostgreSQL store's listing; <c>listing:order</c>: the order over
/// every plan of a new listing), so a bench can tell time spent in the server from time spent queueing for the CPU or the
/// pipe. Unset (always, outside benchmarks): nothing is written.
/// </summary>
public static class BenchTimings
{
    private static readonly StreamWriter? Log = Open(Environment.GetEnvironmentVariable("MCPPLAN_LOCK_LOG"));

    /// <summary>Whether anything is recorded (so callers skip building names when not).</summary>
    public static bool Enabled => Log is not null;

    public static void Record(string what, TimeSpan time)
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

    /// <summary>One line <c>&lt;what&gt; &lt;count&gt;</c>: an event and how many things it carried (a LISTEN wake-up and its notifications).</summary>
    public static void Count(string what, long count)
    {
        if (Log is null)
        {
            return;
        }

        lock (Log)
        {
            Log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what} {count}"));
        }
    }

    /// <summary>
    /// Records the phase that ran since <paramref name="since"/> (a <see cref="System.Diagnostics.Stopwatch"/> timestamp)
    /// and moves <paramref name="since"/> to now, so consecutive phases of one call are timed back to back
    /// (<c>commit_step</c>'s <c>step:*</c> lines).
    /// </summary>
    public static void Lap(string what, ref long since)
    {
        if (Log is null)
        {
            return;
        }

        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        Record(what, System.Diagnostics.Stopwatch.GetElapsedTime(since, now));
        since = now;
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
