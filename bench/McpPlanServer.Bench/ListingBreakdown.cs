using System.Diagnostics;
using System.Globalization;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Git;
using McpPlanServer.Storage;
using McpPlanServer.Testing;

namespace McpPlanServer.Bench;

/// <summary>
/// In process, where <c>list_plans</c> spends its time on the file store: the workflow's page of 100 with a timing store
/// around the files (calls and milliseconds per store method per listing), and the rest (the workflow's own work: order,
/// index, readiness, overlap). Two layouts: the <c>plans</c> group's (plans in Review/, no dependencies) and the
/// <c>parallel</c> group's (approved plans with readiness and overlap, pages of active plans at moving offsets).
/// </summary>
public sealed class ListingBreakdown(TextWriter output)
{
    public void Run(int count)
    {
        output.WriteLine($"load average {File.ReadAllText("/proc/loadavg").Trim()}");
        using (var review = Workspace.Create("breakdown-review"))
        {
            review.AddPlans(count);
            Measure($"{count:N0} plans in Review/, first page, just written (the folder changed less than 2 s ago)", review, (workflow, _) => workflow.ListPlans(null, 0, PlanLimits.DefaultListLimit), settle: false);
            Measure($"{count:N0} plans in Review/, first page", review, (workflow, _) => workflow.ListPlans(null, 0, PlanLimits.DefaultListLimit));
            var text = File.ReadAllText(Path.Combine(new FilePlanStore(review.Root, new PlanServerConfig()).RootPath, "Review", "plan-0.md"));
            var approver = new PlanWorkflow(new FilePlanStore(review.Root, new PlanServerConfig()), new PlanServerConfig(), null, null, TimeProvider.System);
            approver.Approve("plan-0", "Bench Person", ApprovalChannels.Cli, null, McpPlanServer.Core.Plans.PlanText.Sha256Hex(text));
            Measure($"read_active_plan among {count:N0} plans (one active)", review, (workflow, _) => workflow.ReadActivePlan(null));
        }

        using (var active = Workspace.Create("breakdown-active"))
        {
            ParallelBenchmarks.AddActivePlans(active, count);
            Measure($"{count:N0} approved plans with readiness and overlap, pages of active plans", active, (workflow, i) => workflow.ListPlans(PlanFolder.Active, i * 100 % count, PlanLimits.DefaultListLimit));
        }

        output.WriteLine($"load average {File.ReadAllText("/proc/loadavg").Trim()}");
    }

    private void Measure<T>(string what, Workspace workspace, Func<PlanWorkflow, int, T> list, bool settle = true)
    {
        var config = new PlanServerConfig();
        var files = new FilePlanStore(workspace.Root, config);
        var timed = new TimedPlanStore(files);
        var gateway = new GitRepositoryGateway(workspace.Root);
        var workflow = new PlanWorkflow(timed, config, gateway, null, TimeProvider.System);
        var first = Stopwatch.StartNew();
        list(workflow, 0);
        first.Stop();
        if (settle)
        {
            Thread.Sleep(2_500); // the folders settle, so the folder listing is kept as in a long-running server
        }

        for (var i = 0; i < 3; i++)
        {
            list(workflow, i);
        }

        timed.Reset();
        var samples = new List<double>();
        const int Calls = 30;
        for (var i = 0; i < Calls; i++)
        {
            var watch = Stopwatch.StartNew();
            list(workflow, i + 3);
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }

        var stats = new Stats(samples);
        var inStore = timed.Totals.Values.Sum(total => total.Milliseconds) / Calls;
        output.WriteLine();
        output.WriteLine($"### {what}");
        output.WriteLine($"first call {Stats.Ms(first.Elapsed.TotalMilliseconds)}; then {Calls} calls: min {Stats.Ms(samples.Min())} / p50 {Stats.Ms(stats.Median)} / p99 {Stats.Ms(stats.P99)}; mean in the store {Stats.Ms(inStore)}, outside it {Stats.Ms(samples.Average() - inStore)}");
        output.WriteLine("| store method | calls per listing | ms per listing |");
        output.WriteLine("|---|---|---|");
        foreach (var (method, (calls, milliseconds)) in timed.Totals.OrderByDescending(pair => pair.Value.Milliseconds))
        {
            output.WriteLine($"| {method} | {(calls / (double)Calls).ToString("0.#", CultureInfo.InvariantCulture)} | {(milliseconds / Calls).ToString("0.000", CultureInfo.InvariantCulture)} |");
        }
    }
}
