using System.Globalization;

namespace McpPlanServer.Bench;

/// <summary>
/// CPU time read from <c>/proc</c> at one moment (Linux; clock ticks of 10 ms): per process of a named category (the
/// servers, the database's processes, the bench itself) its own time and its reaped children's, per thread name inside
/// each category (the runtime names its threads: <c>.NET TP Worker</c>, <c>.NET BGC</c>, …), and the whole machine's busy
/// time from <c>/proc/stat</c>. Two snapshots around a measured window tell where its CPU went (<see cref="CpuReport"/>).
/// </summary>
public sealed class CpuSnapshot
{
    /// <summary>USER_HZ, the unit of <c>/proc/&lt;pid&gt;/stat</c>'s times; 100 on every Linux this runs on.</summary>
    public const double TicksPerSecond = 100;

    private CpuSnapshot()
    {
    }

    /// <summary>Per pid: its category, its own user+system ticks, and its reaped children's.</summary>
    public Dictionary<int, (string Category, long Own, long Children)> Processes { get; } = [];

    /// <summary>Per pid and thread id: the thread's name and ticks (threads that ended before the snapshot are missing).</summary>
    public Dictionary<(int Pid, int Tid), (string Name, long Ticks)> Threads { get; } = [];

    /// <summary>The machine's busy ticks (everything but idle, I/O wait and steal) and all ticks, summed over every core.</summary>
    public long MachineBusy { get; private set; }

    /// <summary>Ticks the hypervisor gave other guests while this machine's cores wanted to run (steal).</summary>
    public long MachineSteal { get; private set; }

    public long MachineAll { get; private set; }

    /// <summary>The wall clock at the snapshot.</summary>
    public DateTime At { get; } = DateTime.UtcNow;

    public static bool Supported => File.Exists("/proc/self/stat");

    public static CpuSnapshot Take(IReadOnlyDictionary<int, string> categories)
    {
        var snapshot = new CpuSnapshot();
        foreach (var (pid, category) in categories)
        {
            if (Read($"/proc/{pid}/stat") is not { } fields)
            {
                continue;
            }

            snapshot.Processes[pid] = (category, fields.Utime + fields.Stime, fields.Cutime + fields.Cstime);
            string[] tasks;
            try
            {
                tasks = Directory.GetDirectories($"/proc/{pid}/task");
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var task in tasks)
            {
                if (int.TryParse(Path.GetFileName(task), out var tid) && Read(Path.Combine(task, "stat")) is { } thread)
                {
                    snapshot.Threads[(pid, tid)] = (thread.Name, thread.Utime + thread.Stime);
                }
            }
        }

        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(field => long.Parse(field, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal (guest time is already in user)
        snapshot.MachineAll = cpu.Take(8).Sum();
        snapshot.MachineSteal = cpu[7];
        snapshot.MachineBusy = snapshot.MachineAll - cpu[3] - cpu[4] - cpu[7];
        return snapshot;
    }

    private static (string Name, long Utime, long Stime, long Cutime, long Cstime)? Read(string statPath)
    {
        string text;
        try
        {
            text = File.ReadAllText(statPath);
        }
        catch (IOException)
        {
            return null; // the process or thread ended
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // pid (comm) state ppid …: comm may hold spaces and parentheses, so the fields start after the last ')'.
        var open = text.IndexOf('(', StringComparison.Ordinal);
        var close = text.LastIndexOf(')');
        if (open < 0 || close < open)
        {
            return null;
        }

        var fields = text[(close + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture); // numbered as in proc(5)
        return (text[(open + 1)..close], Field(14), Field(15), Field(16), Field(17));
    }
}
