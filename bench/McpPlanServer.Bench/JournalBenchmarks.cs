using System.Diagnostics;
using System.Globalization;
using System.Text;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;

namespace McpPlanServer.Bench;

/// <summary>
/// A decision's journal check at a long journal, in process: the person's approval (which refuses unless the journal and the
/// plan's record are as mcpplan wrote them) with the journal padded to <c>lines</c> chained lines, taken in a fresh store for
/// each decision (a process's first decision: the whole journal is parsed, as every decision did before the checkpoint) and
/// in one store for all (a server or the board: only the lines since the last check are parsed); and the check alone.
/// </summary>
public sealed class JournalBenchmarks(TextWriter output)
{
    public void Run(int lines, int decisions)
    {
        using var workspace = Workspace.Create("journal");
        workspace.AddPlans((2 * decisions) + 1);
        var config = new PlanServerConfig();
        var store = new FilePlanStore(workspace.Root, config);
        Pad(store.JournalPath, lines);
        var size = new FileInfo(store.JournalPath).Length;
        output.WriteLine($"journal: {lines.ToString("N0", CultureInfo.InvariantCulture)} padded lines, {(size / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture)} MB; load average {Load()}");

        var fresh = new List<double>();
        var kept = new List<double>();
        var workflow = new PlanWorkflow(store, config, null, null, TimeProvider.System);
        for (var i = 1; i <= 2 * decisions; i++)
        {
            var id = $"plan-{i}";
            var inFresh = i % 2 == 1;
            var decider = inFresh ? new PlanWorkflow(new FilePlanStore(workspace.Root, config), config, null, null, TimeProvider.System) : workflow;
            var sha = decider.ReadPlan(id).TextSha256[..12];
            var watch = Stopwatch.StartNew();
            decider.Approve(id, "Bench Person", ApprovalChannels.Cli, null, sha);
            (inFresh ? fresh : kept).Add(watch.Elapsed.TotalMilliseconds);
        }

        var checkFresh = new List<double>();
        var checkKept = new List<double>();
        var planId = PlanId.Parse("plan-1");
        for (var i = 0; i < 20; i++)
        {
            var watch = Stopwatch.StartNew();
            new FilePlanStore(workspace.Root, config).CheckIntegrity(planId);
            checkFresh.Add(watch.Elapsed.TotalMilliseconds);
            using (store.AcquireLock())
            {
                store.AppendJournal(new JournalEntry { At = DateTimeOffset.UtcNow, Actor = "owner", Action = "note", Outcome = "ok", ProcessId = Environment.ProcessId });
            }

            watch.Restart();
            store.CheckIntegrity(planId);
            checkKept.Add(watch.Elapsed.TotalMilliseconds);
        }

        output.WriteLine($"approve, whole journal parsed (fresh store, {decisions} decisions): p50 {Stats.Ms(new Stats(fresh).Median)} / max {Stats.Ms(fresh.Max())}");
        output.WriteLine($"approve, from the checkpoint (one store, {decisions} decisions): p50 {Stats.Ms(new Stats(kept).Median)} / max {Stats.Ms(kept.Max())}");
        output.WriteLine($"CheckIntegrity alone, whole journal (20): p50 {Stats.Ms(new Stats(checkFresh).Median)} / p99 {Stats.Ms(new Stats(checkFresh).P99)}");
        output.WriteLine($"CheckIntegrity alone, one new line after the checkpoint (20): p50 {Stats.Ms(new Stats(checkKept).Median)} / p99 {Stats.Ms(new Stats(checkKept).P99)}");
        output.WriteLine($"load average after: {Load()}");
    }

    /// <summary>Chained lines about another plan appended as mcpplan writes them (each linked to the one before), without a flush each.</summary>
    private static void Pad(string journal, int lines)
    {
        var existing = File.ReadAllLines(journal).Where(line => line.Length > 0).ToList();
        var previous = existing.Count == 0 ? JsonlJournal.Genesis : JsonlJournal.LineSha256(Encoding.UTF8.GetBytes(existing[^1]));
        var text = new StringBuilder();
        for (var i = 1; i <= lines; i++)
        {
            var line = $$"""{"at":"2026-12-02T10:00:00+00:00","actor":"planner","action":"write_plan","planId":"padding","outcome":"ok","revision":{{i}},"processId":1,"previousSha256":"{{previous}}"}""";
            text.Append(line).Append('\n');
            previous = JsonlJournal.LineSha256(Encoding.UTF8.GetBytes(line));
        }

        File.AppendAllText(journal, text.ToString());
    }

    private static string Load() => File.ReadAllText("/proc/loadavg").Split(" ")[0];
}
