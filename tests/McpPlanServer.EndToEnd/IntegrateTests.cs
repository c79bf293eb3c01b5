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

    [Fact]
    public async Task A_plan_edited_through_a_shell_after_it_was_verified_is_neither_integrated_nor_completed_until_the_person_approves_it_again()
    {
        using var repository = await TestRepository.CreateAsync();
        using var worktree = await VerifiedInWorktreeAsync(repository, "true", ("docs/main.txt", "main's work\n"));
        var before = (await repository.GitAsync("rev-parse", "main")).Trim();

        // An agent with a shell appends a requirement to the approved, verified plan: the archive would take its hash.
        var plan = Path.Combine(repository.PlansRoot, "Active", "greeting.md");
        var edit = await ProcessRunner.RunAsync("/bin/sh", ["-c", $"printf '\\n- [ ] Also ship the admin backdoor.\\n' >> '{plan}'"], repository.Root);
        Assert.Equal(0, edit.ExitCode);

        foreach (var command in new[] { "integrate", "complete" })
        {
            var refused = await repository.CliAsync(command, "greeting");
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("approval_void", refused.Error);
            Assert.Contains("mcpplan approve greeting --sha", refused.Error);
            Assert.Equal(before, (await repository.GitAsync("rev-parse", "main")).Trim());
            Assert.True(File.Exists(plan), $"{command} moved the plan: {refused}");
        }

        // The person reads the edited text and approves it: the verdict stands and integration goes ahead.
        Assert.Equal(0, (await repository.ApproveAsync("greeting")).ExitCode);
        var integrated = await repository.CliAsync("integrate", "greeting");
        Assert.True(integrated.ExitCode == 0, integrated.ToString());
        Assert.Contains("Also ship the admin backdoor", File.ReadAllText(Path.Combine(repository.PlansRoot, "Completed", "greeting.md")));
    }

    /// <summary>
    /// With plan branches on: an implementer in the main worktree claims the greeting plan (the claim creates
    /// <c>.claude/worktrees/plan-greeting</c> on <c>plan/greeting</c>), releases it, and a server started in that worktree
    /// builds and hands it in; the planner verifies it. Returns the plan's worktree.
    /// </summary>
    private static async Task<TestRepository> VerifiedOnPlanBranchAsync(TestRepository repository)
    {
        repository.WriteFile(".claude/mcpplan.json", """{ "planBranches": true }""");
        await repository.GitAsync("add", ".claude/mcpplan.json");
        await repository.GitAsync("commit", "-q", "-m", "configure mcpplan");
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        await planner.CallOkAsync("write_plan", new { plan_id = "other", text = SamplePlans.Greeting().Replace("greeting", "farewell", StringComparison.Ordinal) });
        Assert.Equal(0, (await repository.ApproveAsync("greeting")).ExitCode);

        string path;
        await using (var inMain = await ServerSession.StartAsync(repository, "implementer"))
        {
            var claimed = await inMain.CallOkAsync("read_active_plan", new { plan_id = "greeting", claim = true });
            path = claimed.GetProperty("claim").GetProperty("worktree").GetString()!;
            await inMain.CallOkAsync("release_plan", new { plan_id = "greeting" });
        }

        Assert.Equal(Path.Combine(repository.Root, ".claude", "worktrees", "plan-greeting"), path);
        var worktree = TestRepository.Existing(path);
        await using (var implementer = await ServerSession.StartAsync(worktree, "implementer"))
        {
            worktree.WriteFile("src/greeting.txt", "Hello, {name}!\n");
            await implementer.CallOkAsync("commit_step", new { plan_id = "greeting", step = 1, message = "Add the greeting" });
            worktree.WriteFile("tests/greeting_test.sh", "expect: Hello, Ada!\n");
            await implementer.CallOkAsync("commit_step", new { plan_id = "greeting", step = 2, message = "Add the test" });
            await implementer.CallOkAsync("submit_for_review", new { plan_id = "greeting" });
        }

        var verdict = await planner.CallOkAsync("submit_review", new { plan_id = "greeting", scores = Scores95, findings = Array.Empty<object>(), summary = "Good.", criteria = SamplePlans.GreetingCriteriaMet });
        Assert.Equal("verified", verdict.GetProperty("verdict").GetString());
        return worktree;
    }

    [Fact]
    public async Task Integrating_removes_the_clean_worktree_its_claim_created_keeps_the_branch_and_says_so_and_status_shows_each_plans_branch()
    {
        using var repository = await TestRepository.CreateAsync();
        var worktree = await VerifiedOnPlanBranchAsync(repository);

        // The person's status: the plan's branch in the BRANCH column, '-' for a plan without one.
        var status = await repository.CliAsync("status");
        Assert.True(status.ExitCode == 0, status.ToString());
        var header = status.Output.Split('\n')[0];
        Assert.Contains("BRANCH", header);
        Assert.Matches(@"(?m)^greeting\s.*\splan/greeting\s*$", status.Output);
        Assert.Matches(@"(?m)^other\s.*\s-\s*$", status.Output);

        var integrated = await repository.CliAsync("integrate", "greeting");
        Assert.True(integrated.ExitCode == 0, integrated.ToString());
        Assert.Contains("Removed its worktree .claude/worktrees/plan-greeting (the branch stays).", integrated.Output);
        Assert.False(Directory.Exists(worktree.Root));
        Assert.DoesNotContain("plan-greeting", await repository.GitAsync("worktree", "list"));
        Assert.Equal((await repository.GitAsync("rev-parse", "plan/greeting")).Trim(), (await repository.GitAsync("rev-parse", "main")).Trim());
        Assert.True(File.Exists(Path.Combine(repository.Root, "src", "greeting.txt")));
    }

    [Fact]
    public async Task Integrating_keeps_the_plans_worktree_when_a_file_in_it_is_uncommitted_and_says_why()
    {
        using var repository = await TestRepository.CreateAsync();
        var worktree = await VerifiedOnPlanBranchAsync(repository);
        worktree.WriteFile("notes/scratch.txt", "the builder's notes, never committed\n");

        var integrated = await repository.CliAsync("integrate", "greeting");
        Assert.True(integrated.ExitCode == 0, integrated.ToString());
        Assert.Contains("Kept its worktree .claude/worktrees/plan-greeting: it has uncommitted files (notes/scratch.txt)", integrated.Output);
        Assert.Equal("the builder's notes, never committed\n", File.ReadAllText(Path.Combine(worktree.Root, "notes", "scratch.txt")));
        Assert.Contains("plan-greeting", await repository.GitAsync("worktree", "list"));
        Assert.True(File.Exists(Path.Combine(repository.PlansRoot, "Completed", "greeting.md")));
    }
}
