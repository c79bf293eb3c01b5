using System.Text;
using McpPlanServer.Cli.Composition;
using McpPlanServer.Core.Metrics;
using McpPlanServer.Core.Records;
using McpPlanServer.Storage;

namespace McpPlanServer.Cli.Commands;

/// <summary><c>mcpplan dashboard [--out FILE]</c>: writes PROJECT_DASHBOARD.md (atomically) at the repository root.</summary>
public static class DashboardCommand
{
    public const string FileName = "PROJECT_DASHBOARD.md";

    public static int Run(string? outPath, PlanServices services, TextWriter output, TimeProvider clock)
    {
        var target = outPath is not null ? Path.GetFullPath(outPath) : Path.Combine(services.RepositoryRoot, FileName);
        var now = clock.GetUtcNow();
        var workflow = services.Workflow;
        var records = workflow.ListLocations().Select(location => services.Store.ReadRecord(location.Id)).OfType<PlanRecord>().ToList();
        var markdown = DashboardMarkdown.Render(
            Path.GetFileName(services.RepositoryRoot), services.Store.PlansRoot, workflow.ListPlans(), WorkflowMetricsCalculator.Compute(records, now), now);
        AtomicFile.Write(target, Encoding.UTF8.GetBytes(markdown));
        output.WriteLine($"Wrote {target}.");
        return CliApplication.Done;
    }
}
