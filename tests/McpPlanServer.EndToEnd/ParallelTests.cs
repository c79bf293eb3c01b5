using McpPlanServer.EndToEnd.Support;

namespace McpPlanServer.EndToEnd;

/// <summary>Parallel builders (issue 11): one plan store seen from every linked worktree of a repository.</summary>
public sealed class ParallelTests
{
    [Theory]
    [InlineData(".claude/worktrees/builder-1")]
    [InlineData("../sibling-worktree")]
    public async Task A_server_and_the_cli_started_in_a_linked_worktree_see_and_change_the_main_worktrees_plans(string worktreePath)
    {
        using var repository = await TestRepository.CreateAsync();
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });

        using var worktree = await repository.AddWorktreeAsync(worktreePath.Replace("sibling-worktree", "sibling-" + Guid.NewGuid().ToString("N")[..8]), "builder");
        Assert.False(Directory.Exists(Path.Combine(worktree.Root, ".claude", "plans", "Review")));

        var status = await worktree.CliAsync("status");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("greeting", status.Output);

        // The person approves from the worktree; the plan moves in the main worktree's store.
        var approve = await worktree.ApproveAsync("greeting", "--by", "Ada");
        Assert.True(approve.ExitCode == 0, approve.ToString());
        Assert.True(File.Exists(Path.Combine(repository.PlansRoot, "Active", "greeting.md")));
        Assert.False(Directory.Exists(Path.Combine(worktree.Root, ".claude", "plans", "Active")));

        await using var implementer = await ServerSession.StartAsync(worktree, "implementer");
        var active = await implementer.CallOkAsync("read_active_plan");
        Assert.Equal("greeting", active.GetProperty("id").GetString());

        // The step is committed in the worktree, on its branch; the record in the shared store sees it.
        worktree.WriteFile("src/greeting.txt", "Hello, {name}!\n");
        var step = await implementer.CallOkAsync("commit_step", new { plan_id = "greeting", step = 1, message = "Add the greeting template" });
        var sha = step.GetProperty("commit").GetString()!;
        Assert.Equal(sha, (await worktree.GitAsync("rev-parse", "builder")).Trim());
        Assert.NotEqual(sha, (await repository.GitAsync("rev-parse", "main")).Trim());

        var seenByPlanner = await planner.CallOkAsync("read_plan", new { plan_id = "greeting" });
        Assert.Equal("implementing", seenByPlanner.GetProperty("status").GetString());
        Assert.Contains(sha, File.ReadAllText(Path.Combine(repository.PlansRoot, ".records", "greeting.json")));
    }

    [Fact]
    public async Task A_hand_made_git_file_pointing_at_another_repository_does_not_borrow_its_plans()
    {
        using var victim = await TestRepository.CreateAsync();
        await using (var planner = await ServerSession.StartAsync(victim, "planner"))
        {
            await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        }

        using var worktree = await victim.AddWorktreeAsync("../forged-" + Guid.NewGuid().ToString("N")[..8], "forged");
        using var forger = await TestRepository.CreateAsync();
        File.Delete(Path.Combine(forger.Root, ".git", "HEAD"));
        Directory.Delete(Path.Combine(forger.Root, ".git"), recursive: true);
        File.Copy(Path.Combine(worktree.Root, ".git"), Path.Combine(forger.Root, ".git"));

        var status = await forger.CliAsync("status");
        Assert.DoesNotContain("greeting", status.Output);
    }

    [Fact]
    public async Task Two_implementers_in_two_worktrees_claim_different_plans_and_the_person_sees_and_breaks_a_claim()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        await planner.CallOkAsync("write_plan", new { plan_id = "other", text = SamplePlans.Greeting().Replace("greeting", "farewell", StringComparison.Ordinal) });
        Assert.Equal(0, (await repository.ApproveAsync("greeting")).ExitCode);
        Assert.Equal(0, (await repository.ApproveAsync("other")).ExitCode);

        using var first = await repository.AddWorktreeAsync(".claude/worktrees/one", "one");
        using var second = await repository.AddWorktreeAsync(".claude/worktrees/two", "two");
        await using var builderOne = await ServerSession.StartAsync(first, "implementer");
        await using var builderTwo = await ServerSession.StartAsync(second, "implementer");

        var ambiguous = await builderOne.CallAsync("read_active_plan");
        Assert.True(ambiguous.IsError);
        Assert.Contains("claim=true", ServerSession.Text(ambiguous));

        var one = await builderOne.CallOkAsync("read_active_plan", new { claim = true });
        var two = await builderTwo.CallOkAsync("read_active_plan", new { claim = true });
        Assert.Equal("greeting", one.GetProperty("id").GetString());
        Assert.Equal("other", two.GetProperty("id").GetString());
        Assert.True(two.GetProperty("claim").GetProperty("fence").GetInt64() > one.GetProperty("claim").GetProperty("fence").GetInt64());
        Assert.Equal("greeting", (await builderOne.CallOkAsync("read_active_plan")).GetProperty("id").GetString());

        var stolen = await builderTwo.CallAsync("commit_step", new { plan_id = "greeting", step = 1, message = "Take it" });
        Assert.True(stolen.IsError);
        Assert.Contains("plan_claimed", ServerSession.Text(stolen));

        var claims = await repository.CliAsync("claims");
        Assert.Contains("greeting", claims.Output);
        Assert.Contains(first.Root, claims.Output);

        var released = await repository.CliAsync("release", "greeting");
        Assert.True(released.ExitCode == 0, released.ToString());
        await builderTwo.CallOkAsync("release_plan", new { plan_id = "other" });
        var retaken = await builderTwo.CallOkAsync("read_active_plan", new { plan_id = "greeting", claim = true });
        Assert.Equal("greeting", retaken.GetProperty("id").GetString());

        first.WriteFile("src/greeting.txt", "Hello, {name}!\n");
        var refused = await builderOne.CallAsync("commit_step", new { plan_id = "greeting", step = 1, message = "Add the greeting" });
        Assert.True(refused.IsError);
        Assert.Contains("plan_claimed", ServerSession.Text(refused));
        Assert.Equal((await repository.GitAsync("rev-parse", "main")).Trim(), (await first.GitAsync("rev-parse", "one")).Trim());

        second.WriteFile("src/greeting.txt", "Hello, {name}!\n");
        var step = await builderTwo.CallOkAsync("commit_step", new { plan_id = "greeting", step = 1, message = "Add the greeting" });
        var body = await second.GitAsync("log", "-1", "--format=%B", step.GetProperty("commit").GetString()!);
        Assert.Contains($"Plan-Claim: {retaken.GetProperty("claim").GetProperty("fence").GetInt64()}", body);
    }
}
