using System.Diagnostics;
using System.Globalization;

namespace McpPlanServer.Bench;

/// <summary>
/// The hypervisor's steal (CPU time other guests took from this machine's cores, the 8th field of <c>/proc/stat</c>'s
/// first line, in ticks of 10 ms summed over the cores) read every 10 ms on a thread of its own, so a slow call
/// can be told apart from a call during which the machine itself was not running: on a small cloud machine a few CPU
/// seconds of steal in a minute double a p99 whatever the server does. The counter moves in whole ticks, so a call is
/// counted as stolen from when a tick was added while it ran (give or take one sampling period), not by how much.
/// </summary>
public sealed class StealSampler : IDisposable
{
    /// <summary>The counter's own unit: reading <c>/proc/stat</c> costs the kernel its whole text (every interrupt's count),
    /// and every 2 ms that was 3 % of this machine's CPU.</summary>
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(10);

    private readonly Stopwatch clock;
    private readonly List<(TimeSpan At, long Ticks)> changes = [];
    private readonly Thread thread;
    private volatile bool stopping;

    /// <param name="clock">The clock the calls are timed with.</param>
    public StealSampler(Stopwatch clock)
    {
        this.clock = clock;
        thread = new Thread(Run) { IsBackground = true, Name = "steal sampler", Priority = ThreadPriority.AboveNormal };
        if (Supported)
        {
            changes.Add((clock.Elapsed, Read()));
            thread.Start();
        }
    }

    public static bool Supported => File.Exists("/proc/stat");

    /// <summary>Steal ticks read between <paramref name="from"/> and one sampling period after <paramref name="until"/> (a tick is read up to a period after it was added).</summary>
    public long TicksBetween(TimeSpan from, TimeSpan until)
    {
        lock (changes)
        {
            return At(until + Period) - At(from);
        }
    }

    /// <summary>CPU seconds stolen between two moments.</summary>
    public double SecondsBetween(TimeSpan from, TimeSpan until) => TicksBetween(from, until) / CpuSnapshot.TicksPerSecond;

    public void Dispose()
    {
        stopping = true;
        if (thread.IsAlive)
        {
            thread.Join();
        }
    }

    /// <summary>The counter as last read at or before <paramref name="moment"/>.</summary>
    private long At(TimeSpan moment)
    {
        var index = changes.BinarySearch((moment, long.MaxValue), Comparer<(TimeSpan At, long Ticks)>.Create((a, b) => a.At.CompareTo(b.At)));
        index = index >= 0 ? index : ~index - 1;
        return index >= 0 ? changes[index].Ticks : changes.Count > 0 ? changes[0].Ticks : 0;
    }

    private void Run()
    {
        while (!stopping)
        {
            Thread.Sleep(Period);
            var ticks = Read();
            lock (changes)
            {
                if (ticks != changes[^1].Ticks)
                {
                    changes.Add((clock.Elapsed, ticks));
                }
            }
        }
    }

    private static long Read()
    {
        using var stat = new StreamReader("/proc/stat");
        var fields = stat.ReadLine()!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return long.Parse(fields[8], CultureInfo.InvariantCulture);
    }
}
