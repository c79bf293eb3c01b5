using McpPlanServer.EndToEnd.Reliability;
using McpPlanServer.EndToEnd.Support;

namespace McpPlanServer.EndToEnd;

/// <summary>Git history that says one thing and the records another, seen from outside: a step reset away is not done
/// in any view, the hand-in is refused, the invariant checker names it; a forged trailer commit is never adopted.</summary>
public sealed class GitHistoryTests
{
    [Fact]
    public async Task A_step_commit_reset_away_is_not_done_in_every_view_and_the_invariant_checker_names_it()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await using var implementer = await ServerSession.StartAsync(repository, "implementer");
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        Assert.Equal(0, (await repository.ApproveAsync("greeting")).ExitCode);
        repository.WriteFile("src/greeting.txt", "Hello, {name}!\n");
        await implementer.CallOkAsync("commit_step", new { plan_id = "greeting", step = 1, message = "greeting" });
        repository.WriteFile("tests/greeting_test.sh", "Hello, Ada!\n");
        var step2 = await implementer.CallOkAsync("commit_step", new { plan_id = "greeting", step = 2, message = "test" });
        Assert.True(InvariantChecker.Check(repository.Root).Holds);

        await repository.GitAsync("reset", "-q", "--hard", "HEAD~1");

        var active = await implementer.CallOkAsync("read_active_plan", new { plan_id = "greeting" });
        Assert.False(active.GetProperty("steps")[1].GetProperty("done").GetBoolean());
        Assert.Contains("no longer on the branch", active.GetProperty("steps")[1].GetProperty("problem").GetString());
        Assert.Equal(2, active.GetProperty("next_step").GetProperty("number").GetInt32());
        var listed = await planner.CallOkAsync("list_plans", new { });
        Assert.Equal(1, listed.GetProperty("plans")[0].GetProperty("steps_done").GetInt32());
        var status = await repository.CliAsync("status");
        Assert.Contains("1/2", status.Output);
        var show = await repository.CliAsync("show", "greeting");
        Assert.Contains("no longer on the branch", show.Output);
        var evidence = await planner.CallOkAsync("review_implementation", new { plan_id = "greeting" });
        Assert.False(evidence.GetProperty("steps")[1].GetProperty("commits")[0].GetProperty("on_branch").GetBoolean());
        var handIn = await implementer.CallAsync("submit_for_review", new { plan_id = "greeting" });
        Assert.True(handIn.IsError);
        Assert.Contains("steps_not_done", ServerSession.Text(handIn));

        var report = InvariantChecker.Check(repository.Root);
        Assert.False(report.Holds);
        Assert.Contains(report.Violations, violation => violation.Contains(step2.GetProperty("commit").GetString()![..12], StringComparison.Ordinal) && violation.Contains("not reachable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_hand_made_commit_with_the_plan_trailers_stays_outside_commit_step_after_a_restart()
    {
        using var repository = await TestRepository.CreateAsync();
        await using (var planner = await ServerSession.StartAsync(repository, "planner"))
        {
            await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        }

        Assert.Equal(0, (await repository.ApproveAsync("greeting")).ExitCode);
        repository.WriteFile("src/extra.txt", "not planned\n");
        await repository.GitAsync("add", "src/extra.txt");
        await repository.GitAsync("commit", "-q", "-m", "forged\n\nPlan-Id: greeting\nPlan-Step: 2");

        Assert.Equal(0, (await repository.CliAsync("status")).ExitCode);
        await using var implementer = await ServerSession.StartAsync(repository, "implementer");
        var active = await implementer.CallOkAsync("read_active_plan", new { plan_id = "greeting" });
        Assert.Equal("forged", active.GetProperty("commits_outside_commit_step")[0].GetProperty("subject").GetString());
        Assert.Equal(0, active.GetProperty("steps")[1].GetProperty("commits").GetArrayLength());
    }
}
