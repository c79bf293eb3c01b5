using McpPlanServer.EndToEnd.Support;
using ModelContextProtocol;

namespace McpPlanServer.EndToEnd.Reliability;

/// <summary>
/// SIGKILL inside the workflow's multi-step operations (test-only fault points): after a restart the invariant
/// checker passes and each operation happened completely or not at all.
/// </summary>
public sealed class WorkflowCrashTests
{
    private static Dictionary<string, string?> Fault(string point) => new() { ["MCPPLAN_FAULT"] = point };

    [Fact]
    public async Task A_crash_between_the_git_commit_and_the_record_leaves_a_commit_that_the_next_start_records()
    {
        using var repository = await TestRepository.CreateAsync();
        await using (var planner = await ServerSession.StartAsync(repository, "planner"))
        {
            await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        }

        Assert.Equal(0, (await repository.ApproveAsync("greeting")).ExitCode);
        repository.WriteFile("src/greeting.txt", "Hello, {name}!\n");
        await using (var doomed = await ServerSession.StartAsync(repository, "implementer", environment: Fault("commit-step:after-git-commit")))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => doomed.CallAsync("commit_step", new { plan_id = "greeting", step = 1, message = "greeting" }));
        }

        Assert.Contains("Plan-Step: 1", await repository.GitAsync("log", "-1", "--format=%B"));
        var status = await repository.CliAsync("status");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("1/2", status.Output);
        var report = InvariantChecker.Check(repository.Root);
        Assert.True(report.Holds, report.ToString());
    }

    [Theory]
    [InlineData("approve:after-move", "approve")]
    [InlineData("store:before-move", "approve")]
    [InlineData("atomic-write:before-rename", "approve")]
    public async Task A_crash_inside_approve_leaves_the_plan_approved_or_untouched(string point, string command)
    {
        using var repository = await TestRepository.CreateAsync();
        await using (var planner = await ServerSession.StartAsync(repository, "planner"))
        {
            await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        }

        var crashed = await PersonContext.RunAsync(Executable.Path, [command, "greeting", "--sha", await repository.ShaAsync("greeting"), "--repo", repository.Root], repository.Root, Fault(point));
        Assert.NotEqual(0, crashed.ExitCode);

        var status = await repository.CliAsync("status");
        Assert.True(status.ExitCode == 0, status.ToString());
        var report = InvariantChecker.Check(repository.Root);
        Assert.True(report.Holds, report.ToString());

        // Completely or not at all: either the plan is in Review untouched, or Active — and then approving again makes it valid.
        var inActive = File.Exists(Path.Combine(repository.PlansRoot, "Active", "greeting.md"));
        Assert.NotEqual(inActive, File.Exists(Path.Combine(repository.PlansRoot, "Review", "greeting.md")));
        var again = await repository.ApproveAsync("greeting");
        Assert.True(again.ExitCode == 0, again.ToString());
        await using var implementer = await ServerSession.StartAsync(repository, "implementer");
        var active = await implementer.CallOkAsync("read_active_plan");
        Assert.True(active.GetProperty("approval").GetProperty("valid").GetBoolean());
        Assert.True(InvariantChecker.Check(repository.Root).Holds);
    }

    [Theory]
    [InlineData("atomic-write:partial-temp")]
    [InlineData("atomic-write:before-rename")]
    [InlineData("journal:torn-append")]
    public async Task A_crash_inside_write_plan_creates_the_plan_completely_or_not_at_all(string point)
    {
        using var repository = await TestRepository.CreateAsync();
        await using (var doomed = await ServerSession.StartAsync(repository, "planner", environment: Fault(point)))
        {
            try
            {
                await doomed.CallAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
            }
            catch (Exception error) when (error is McpException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                // The server died mid-call, as intended.
            }
        }

        Assert.Equal(0, (await repository.CliAsync("status")).ExitCode);
        var report = InvariantChecker.Check(repository.Root);
        Assert.True(report.Holds, report.ToString());

        await using var planner = await ServerSession.StartAsync(repository, "planner");
        var read = await planner.CallAsync("read_plan", new { plan_id = "greeting" });
        if (read.IsError == true)
        {
            Assert.False(File.Exists(Path.Combine(repository.PlansRoot, "Review", "greeting.md")));
            await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        }
        else
        {
            Assert.Equal(SamplePlans.Greeting(), read.StructuredContent!.Value.GetProperty("text").GetString());
        }

        Assert.True(InvariantChecker.Check(repository.Root).Holds);
    }

    [Theory]
    [InlineData("complete", "store:before-move")]
    [InlineData("complete", "atomic-write:before-rename")]
    [InlineData("abandon", "store:before-move")]
    [InlineData("abandon", "atomic-write:before-rename")]
    public async Task A_crash_inside_complete_or_abandon_archives_the_plan_completely_or_not_at_all(string command, string point)
    {
        using var repository = await TestRepository.CreateAsync();
        await using (var planner = await ServerSession.StartAsync(repository, "planner"))
        await using (var implementer = await ServerSession.StartAsync(repository, "implementer"))
        {
            await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
            Assert.Equal(0, (await repository.ApproveAsync("greeting")).ExitCode);
            repository.WriteFile("src/greeting.txt", "Hello, {name}!\n");
            await implementer.CallOkAsync("commit_step", new { plan_id = "greeting", step = 1, message = "one", paths = new[] { "src/greeting.txt" } });
            repository.WriteFile("tests/greeting_test.sh", "Hello, Ada!\n");
            await implementer.CallOkAsync("commit_step", new { plan_id = "greeting", step = 2, message = "two", paths = new[] { "tests/greeting_test.sh" } });
            await implementer.CallOkAsync("submit_for_review", new { plan_id = "greeting" });
            await planner.CallOkAsync("submit_review", new { plan_id = "greeting", scores = new { architecture = 95, code_quality = 95, testing = 95, performance = 95, security = 95 }, summary = "ok", criteria = SamplePlans.GreetingCriteriaMet });
        }

        string[] arguments = command == "complete" ? ["complete", "greeting"] : ["abandon", "greeting", "--reason", "changed priorities"];
        var crashed = await PersonContext.RunAsync(Executable.Path, [.. arguments, "--repo", repository.Root], repository.Root, Fault(point));
        Assert.NotEqual(0, crashed.ExitCode);

        var status = await repository.CliAsync("status");
        Assert.True(status.ExitCode == 0, status.ToString());
        var report = InvariantChecker.Check(repository.Root);
        Assert.True(report.Holds, report.ToString());

        // The record is written before the move: killed after it, the next start finishes the archiving with the
        // outcome kept; killed before it, nothing happened and the command can simply run again.
        var archived = File.Exists(Path.Combine(repository.PlansRoot, "Completed", "greeting.md"));
        Assert.NotEqual(archived, File.Exists(Path.Combine(repository.PlansRoot, "Active", "greeting.md")));
        Assert.Equal(point == "store:before-move", archived);
        if (!archived)
        {
            Assert.Equal(0, (await repository.CliAsync(arguments)).ExitCode);
        }

        var outcome = command == "complete" ? "completed" : "abandoned";
        Assert.Matches($"greeting +completed +{outcome}", (await repository.CliAsync("status")).Output);
        Assert.True(InvariantChecker.Check(repository.Root).Holds);
    }
}
