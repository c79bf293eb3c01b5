using McpPlanServer.Cli.Verification;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;
using McpPlanServer.Storage.Postgres;
using McpPlanServer.Tests.Git;

namespace McpPlanServer.Tests.Acceptance;

/// <summary>
/// A plan with one acceptance test (a shell script that checks src/value.txt and prints the plain closing line) on a real
/// temporary git repository, with the real store, git adapter and acceptance runner.
/// </summary>
internal sealed class AcceptanceRepository : IDisposable
{
    public const string Id = "value";

    public const string TestPath = "tests/acceptance/value_test.sh";

    public const string PlanText = """
        # Plan: Value file

        **Risk level**: Low

        ## Summary
        Write the value.

        ## Files to Create
        ### 1. `src/value.txt`

        ## Implementation Steps
        1. **Write the value** in `src/value.txt`

        ## Success Criteria
        - [ ] `sh tests/acceptance/value_test.sh` prints "1 passed, 0 failed"

        ## Acceptance Tests
        **Command**: `sh tests/acceptance/value_test.sh`

        - `tests/acceptance/value_test.sh`
        """;

    public const string Test = "if grep -qx 'a = 2' src/value.txt; then echo '1 passed, 0 failed'; else echo \"value is: $(cat src/value.txt)\"; echo '0 passed, 1 failed'; exit 1; fi\n";

    /// <param name="postgres">A database's connection string: the plans live there (the config names it, as <c>init --store</c> writes it).</param>
    public AcceptanceRepository(bool refuseOnFailure = true, string? postgres = null)
    {
        Config = new PlanServerConfig { Acceptance = new AcceptanceSettings { TimeoutSeconds = 60, RefuseHandInOnFailure = refuseOnFailure } };
        if (postgres is not null)
        {
            Config = Config with { Store = new StoreSettings { Kind = StoreKind.Postgres, Connection = postgres, Repository = "acceptance" } };
            ConfigFile.Save(Path.Join(Git.Root, ".claude", "mcpplan.json"), Config);
        }

        Store = PlanStoreOpener.Open(Git.Root, Config, _ => null);
        var shell = new ShellVerificationRunner(Git.Root, Git.Gateway, TimeProvider.System);
        Workflow = new PlanWorkflow(Store, Config, Git.Gateway, shell, TimeProvider.System) { AcceptanceRunner = new AcceptanceRunner(shell) };
    }

    public TemporaryGitRepository Git { get; } = new();

    public PlanServerConfig Config { get; }

    public IPlanStore Store { get; }

    public PlanWorkflow Workflow { get; }

    /// <summary>Writes the plan and its test; returns the hash the person approves.</summary>
    public string WritePlanAndTest(string test = Test)
    {
        Workflow.WritePlan(Actor.Planner, Id, PlanText, null);
        Workflow.Acceptance.WriteFile(Actor.Planner, Id, TestPath, test, null);
        return Workflow.ReadPlan(Id).ApprovalSha256;
    }

    public LoadedPlan Approve(string sha) => Workflow.Approve(Id, "Ada", ApprovalChannels.Cli, null, sha);

    public LoadedPlan WriteAndApprove() => Approve(WritePlanAndTest());

    public StepCommitOutcome CommitValue(string value)
    {
        Git.Write("src/value.txt", value + "\n");
        return Workflow.CommitStep(Actor.Implementer, Id, 1, "Write the value", ["src/value.txt"], null, null);
    }

    public void Dispose()
    {
        (Store as IDisposable)?.Dispose();
        Git.Dispose();
    }
}
