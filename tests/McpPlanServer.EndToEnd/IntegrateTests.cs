using McpPlanServer.EndToEnd.Support;

namespace McpPlanServer.EndToEnd;

/// <summary>The person's <c>mcpplan integrate</c>: a verified plan built in a linked worktree merged into main.</summary>
public sealed class IntegrateTests
{
    private static readonly object Scores95 = new { architecture = 95, code_quality = 95, testing = 95, performance = 95, security = 95 };

    /// <summary>A verified greeting plan, built on branch 'builder' in a linked worktree; main gets the file <paramref name="onMain"/> committed meanwhile.</summary>
    private static async Task<TestRepository> VerifiedInWorktreeAsync(TestRepository repository, string verify, (string Path, string Text) onMain, string? unplanned = null)
    {
        repository.WriteFile(".claude/mcpplan.json", $$"""{ "verify": { "command": "{{verify}}", "timeoutSeconds": 60 } }""");
        await repository.GitAsync("add", ".claude/mcpplan.json");
        await repository.GitAsync("commit", "-q", "-m", "configure mcpplan");
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        Assert.Equal(0, (await repository.ApproveAsync("greeting")).ExitCode);

        var worktree = await repository.AddWorktreeAsync(".claude/worktrees/builder", "builder");
        await using (var implementer = await ServerSession.StartAsync(worktree, "implementer"))
        {
            worktree.WriteFile("src/greeting.txt", "Hello, {name}!\n");
            if (unplanned is not null)
            {
                worktree.WriteFile(unplanned, "changed on the plan's branch\n");
            }

            await implementer.CallOkAsync("commit_step", new { plan_id = "greeting", step = 1, message = "Add the greeting", include_unplanned = unplanned is not null });
            worktree.WriteFile("tests/greeting_test.sh", "expect: Hello, Ada!\n");
            await implementer.CallOkAsync("commit_step", new { plan_id = "greeting", step = 2, message = "Add the test" });
            await implementer.CallOkAsync("submit_for_review", new { plan_id = "greeting" });
        }

        var verdict = await planner.CallOkAsync("submit_review", new { plan_id = "greeting", scores = Scores95, findings = Array.Empty<object>(), summary = "Good.", criteria = SamplePlans.GreetingCriteriaMet });
        Assert.Equal("verified", verdict.GetProperty("verdict").GetString());

        repository.WriteFile(onMain.Path, onMain.Text);
        await repository.GitAsync("add", "--", onMain.Path);
        await repository.GitAsync("commit", "-q", "-m", "work on main meanwhile");
        return worktree;
    }

    [Fact]
    public async Task A_verified_plan_is_merged_into_main_with_a_merge_commit_after_verification_on_the_merged_tree_and_completed()
    {
        using var repository = await TestRepository.CreateAsync();
        using var worktree = await VerifiedInWorktreeAsync(repository, "grep -q Hello src/greeting.txt", ("docs/main.txt", "main's work\n"));
        var verifiedSha = (await worktree.GitAsync("rev-parse", "builder")).Trim();

        var integrated = await repository.CliAsync("integrate", "greeting");
        Assert.True(integrated.ExitCode == 0, integrated.ToString());
        var parents = (await repository.GitAsync("log", "-1", "--format=%P", "main")).Trim().Split(' ');
        Assert.Equal(2, parents.Length);
        Assert.Contains(verifiedSha, parents);
        Assert.True(File.Exists(Path.Combine(repository.Root, "src", "greeting.txt")));
        Assert.True(File.Exists(Path.Combine(repository.Root, "docs", "main.txt")));
        Assert.True(File.Exists(Path.Combine(repository.PlansRoot, "Completed", "greeting.md")));
        var mergeSha = (await repository.GitAsync("rev-parse", "main")).Trim();
        Assert.Contains(mergeSha, File.ReadAllText(Path.Combine(repository.PlansRoot, ".records", "greeting.json")));
    }

    [Fact]
    public async Task A_conflict_is_refused_naming_the_file_and_nothing_changes()
    {
        using var repository = await TestRepository.CreateAsync();
        using var worktree = await VerifiedInWorktreeAsync(repository, "true", ("src/greeting.txt", "Hi there\n"));
        var before = (await repository.GitAsync("rev-parse", "main")).Trim();

        var refused = await repository.CliAsync("integrate", "greeting");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("merge_conflict", refused.Error);
        Assert.Contains("src/greeting.txt", refused.Error);
        Assert.Equal(before, (await repository.GitAsync("rev-parse", "main")).Trim());
        Assert.True(File.Exists(Path.Combine(repository.PlansRoot, "Active", "greeting.md")));
    }

    [Fact]
    public async Task A_change_outside_the_plans_files_that_main_also_changed_is_refused_and_a_failing_verification_moves_nothing()
    {
        using var repository = await TestRepository.CreateAsync();
        using var worktree = await VerifiedInWorktreeAsync(repository, "true", ("notes.txt", "changed on the plan's branch\n"), unplanned: "notes.txt");
        var before = (await repository.GitAsync("rev-parse", "main")).Trim();

        var refused = await repository.CliAsync("integrate", "greeting");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("outside_files", refused.Error);
        Assert.Contains("notes.txt", refused.Error);
        Assert.Equal(before, (await repository.GitAsync("rev-parse", "main")).Trim());

        using var other = await TestRepository.CreateAsync();
        using var otherWorktree = await VerifiedInWorktreeAsync(other, "test ! -f docs/main.txt", ("docs/main.txt", "breaks the check\n"));
        var otherBefore = (await other.GitAsync("rev-parse", "main")).Trim();
        var failed = await other.CliAsync("integrate", "greeting");
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("verification_failed", failed.Error);
        Assert.Equal(otherBefore, (await other.GitAsync("rev-parse", "main")).Trim());
        Assert.True(File.Exists(Path.Combine(other.PlansRoot, "Active", "greeting.md")));
    }
}
