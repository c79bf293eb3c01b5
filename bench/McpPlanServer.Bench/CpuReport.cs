using System.Globalization;

namespace McpPlanServer.Bench;

/// <summary>
/// Where a measured window's CPU went, from two <see cref="CpuSnapshot"/>s: CPU seconds per category (a process seen only
/// in the second snapshot counts whole: it started inside the window), its reaped children's apart, the rest of the
/// machine (other users of the machine), and per thread name inside the categories asked for; each also as CPU
/// milliseconds per tool call.
/// </summary>
public static class CpuReport
{
    public static void Write(TextWriter output, CpuSnapshot before, CpuSnapshot after, int toolCalls, IReadOnlyCollection<string> threadsOf)
    {
        var seconds = (after.At - before.At).TotalSeconds;
        var cores = Environment.ProcessorCount;
        var busy = Seconds(after.MachineBusy - before.MachineBusy);
        var steal = Seconds(after.MachineSteal - before.MachineSteal);
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CPU over the measured window ({seconds:0.0} s wall, {cores} cores = {seconds * cores:0} CPU s available; machine busy {busy:0.0} CPU s = {100 * busy / (seconds * cores):0} %; taken by the hypervisor for other guests (steal) {steal:0.0} CPU s; {toolCalls:N0} tool calls):"));
        output.WriteLine();
        output.WriteLine("| where | CPU s | share of the machine's busy time | CPU ms per tool call |");
        output.WriteLine("|---|---|---|---|");
        var accounted = 0.0;
        foreach (var category in after.Processes.Values.Select(process => process.Category).Distinct().Order(StringComparer.Ordinal))
        {
            var (own, children, processes) = Delta(before, after, category);
            accounted += own + children;
            Row($"{category} ({processes} processes)", own);
            if (children > 0)
            {
                Row($"{category}: their child processes (git, shells)", children);
            }
        }

        Row("the rest of the machine (other users, the kernel's own threads, processes started and ended in between)", busy - accounted);
        foreach (var category in threadsOf)
        {
            output.WriteLine();
            output.WriteLine($"| {category}: by thread name | CPU s | share of the category | CPU ms per tool call |");
            output.WriteLine("|---|---|---|---|");
            var (own, _, _) = Delta(before, after, category);
            var byName = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var ((pid, tid), thread) in after.Threads)
            {
                if (after.Processes.TryGetValue(pid, out var process) && process.Category == category)
                {
                    var ticks = thread.Ticks - (before.Threads.TryGetValue((pid, tid), out var earlier) ? earlier.Ticks : 0);
                    byName[thread.Name] = byName.GetValueOrDefault(thread.Name) + Seconds(ticks);
                }
            }

            foreach (var (name, threadSeconds) in byName.OrderByDescending(pair => pair.Value))
            {
                ThreadRow(name, threadSeconds, own);
            }

            ThreadRow("threads that ended inside the window", own - byName.Values.Sum(), own);
        }

        void Row(string what, double cpu) =>
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {what} | {cpu:0.0} | {(busy > 0 ? 100 * cpu / busy : 0):0} % | {PerCall(cpu)} |"));

        void ThreadRow(string name, double cpu, double of) =>
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| `{name}` | {cpu:0.00} | {(of > 0 ? 100 * cpu / of : 0):0} % | {PerCall(cpu)} |"));

        string PerCall(double cpu) => toolCalls > 0 ? (1000 * cpu / toolCalls).ToString("0.0", CultureInfo.InvariantCulture) : "—";
    }

    private static (double Own, double Children, int Processes) Delta(CpuSnapshot before, CpuSnapshot after, string category)
    {
        long own = 0, children = 0;
        var processes = 0;
        foreach (var (pid, process) in after.Processes)
        {
            if (process.Category != category)
            {
                continue;
            }

            processes++;
            var earlier = before.Processes.TryGetValue(pid, out var seen) ? seen : (category, 0L, 0L);
            own += process.Own - earlier.Item2;
            children += process.Children - earlier.Item3;
        }

        return (Seconds(own), Seconds(children), processes);
    }

    private static double Seconds(long ticks) => ticks / CpuSnapshot.TicksPerSecond;
}
