using BenchmarkDotNet.Attributes;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;

namespace McpPlanServer.Bench;

/// <summary>In-process parts, measured by BenchmarkDotNet: parsing and linting a full plan, and reading one plan
/// (text and record, reconciled) out of a store of 1,000.</summary>
[MemoryDiagnoser]
public class PlanBenchmarks
{
    private string text = string.Empty;
    private PlanDocument document = null!;
    private Workspace workspace = null!;
    private PlanWorkflow workflow = null!;

    [GlobalSetup]
    public void Setup()
    {
        text = File.ReadAllText(Path.Combine(RepositoryRoot(), "examples", "auth-jwt.md"));
        document = PlanParser.Parse(text);
        workspace = Workspace.Create("micro");
        workspace.AddPlans(1_000);
        var config = new PlanServerConfig();
        workflow = new PlanWorkflow(new FilePlanStore(workspace.Root, config), config, null, null, TimeProvider.System);
    }

    [GlobalCleanup]
    public void Cleanup() => workspace.Dispose();

    [Benchmark]
    public PlanDocument ParseJwtPlan() => PlanParser.Parse(text);

    [Benchmark]
    public LintReport LintJwtPlan() => PlanLinter.Lint(document, LintOptions.Default);

    [Benchmark]
    public LoadedPlan ReadOnePlanOf1000() => workflow.ReadPlan("plan-500");

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "McpPlanServer.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmark from inside the repository.");
    }
}
