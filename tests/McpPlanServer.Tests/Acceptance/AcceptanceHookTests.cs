using McpPlanServer.Clients.Hooks;
using McpPlanServer.Tests.Hooks;
using McpPlanServer.Tests.Support;

namespace McpPlanServer.Tests.Acceptance;

/// <summary>The hook reads the pins from the records of active plans and denies the implementer's writes to them.</summary>
public sealed class AcceptanceHookTests
{
    public static TheoryData<string, string> ImplementerWrites => new()
    {
        { "Write", "{REPO}/tests/acceptance/value_test.sh" },
        { "Edit", "tests/acceptance/value_test.sh" },
        { "Bash", "echo 'echo 1 passed, 0 failed' > tests/acceptance/value_test.sh" },
        { "Bash", "sed -i 's/exit 1/exit 0/' tests/acceptance/value_test.sh" },
        { "Bash", "cp /tmp/x {REPO}/tests/acceptance/value_test.sh" },
        { "Bash", "rm -rf tests" },
        { "Bash", "echo x > \"$D/value_test.sh\"" },
    };

    [Theory]
    [MemberData(nameof(ImplementerWrites))]
    public void The_implementers_writes_to_a_pinned_test_are_denied(string tool, string target)
    {
        using var repository = new AcceptanceRepository();
        repository.WriteAndApprove();
        var expanded = target.Replace("{REPO}", repository.Git.Root, StringComparison.Ordinal);

        var run = HookRun.Execute(HookRun.Payload(tool, HookRun.ToolInput(tool, expanded), repository.Git.Root), "implementer", new HookEnvironment(repository.Git.Root, repository.Git.Outer));

        Assert.Equal(HookOutcome.Deny, run.Outcome);
        Assert.Contains("acceptance test pinned", run.Reason, StringComparison.Ordinal);
        Assert.Contains("report_blocker", run.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_files_stay_writable_and_nothing_is_pinned_before_approval()
    {
        using var repository = new AcceptanceRepository();
        repository.WritePlanAndTest();
        var environment = new HookEnvironment(repository.Git.Root, repository.Git.Outer);

        var beforeApproval = HookRun.Execute(HookRun.Payload("Write", HookRun.ToolInput("Write", "tests/acceptance/value_test.sh"), repository.Git.Root), "implementer", environment);
        repository.Approve(repository.Workflow.ReadPlan(AcceptanceRepository.Id).ApprovalSha256);
        var otherFile = HookRun.Execute(HookRun.Payload("Write", HookRun.ToolInput("Write", "src/value.txt"), repository.Git.Root), "implementer", environment);

        Assert.Equal(HookOutcome.Allow, beforeApproval.Outcome);
        Assert.Equal(HookOutcome.Allow, otherFile.Outcome);
    }

    [Fact]
    public void On_the_postgres_store_the_files_are_kept_in_the_database_and_the_hook_reads_the_pins_from_it()
    {
        using var repository = new AcceptanceRepository(postgres: PostgresCluster.Shared.CreateDatabase());
        repository.WriteAndApprove();
        var environment = new HookEnvironment(repository.Git.Root, repository.Git.Outer);

        var run = HookRun.Execute(HookRun.Payload("Write", HookRun.ToolInput("Write", AcceptanceRepository.TestPath), repository.Git.Root), "implementer", environment);

        // Nothing of the plan is on disk: the pins can only have come from the database.
        Assert.False(Directory.Exists(Path.Join(repository.Git.Root, ".claude", "plans", ".records")));
        Assert.Equal(1, repository.Store.ReadAcceptance(Core.Plans.PlanId.Parse(AcceptanceRepository.Id)).Revision);
        Assert.Equal(HookOutcome.Deny, run.Outcome);
        Assert.Contains("acceptance test pinned", run.Reason, StringComparison.Ordinal);
    }
}
