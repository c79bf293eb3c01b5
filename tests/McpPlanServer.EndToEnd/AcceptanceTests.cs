using McpPlanServer.EndToEnd.Support;

namespace McpPlanServer.EndToEnd;

/// <summary>
/// Issue 20 on real repositories with the real servers and the owner's CLI: the planner writes an acceptance test, the
/// person approves text and test together, the test is pinned in the plan's first commit, the implementer cannot change
/// it (commit_step, hook), a change made around commit_step is reported and never runs, and the server's runs decide.
/// </summary>
public sealed class AcceptanceTests
{
    private static readonly object Scores95 = new { architecture = 95, code_quality = 95, testing = 95, performance = 95, security = 95 };

    public const string TestPath = "tests/acceptance/greeting_test.sh";

    public const string Test = """
        if grep -qx 'Hello, {name}!' src/greeting.txt; then echo 'greeting: 1 passed, 0 failed'; else echo "greeting is: $(cat src/greeting.txt)"; echo 'greeting: 0 passed, 1 failed'; exit 1; fi

        """;

    public static string Plan() => SamplePlans.Greeting().Replace("## Risks & Mitigation", $"""
        ## Acceptance Tests
        **Command**: `sh {TestPath}`

        - `{TestPath}`: the template greets with "!"

        ## Risks & Mitigation
        """, StringComparison.Ordinal);

    [Fact]
    public async Task The_pinned_test_decides_the_hand_in_whatever_the_implementer_does_to_it()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await using var implementer = await ServerSession.StartAsync(repository, "implementer");

        // The planner writes the plan and its test; the person sees both and approves their one hash.
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = Plan() });
        var unlisted = await planner.CallAsync("write_acceptance_file", new { plan_id = "greeting", path = "tests/other.sh", content = "exit 0\n" });
        Assert.True(unlisted.IsError);
        Assert.Contains("acceptance_path_unlisted", ServerSession.Text(unlisted));
        var written = await planner.CallOkAsync("write_acceptance_file", new { plan_id = "greeting", path = TestPath, content = Test });
        Assert.Empty(written.GetProperty("missing").EnumerateArray());
        var show = await repository.CliAsync("show", "greeting");
        Assert.Contains("approval hash", show.Output);
        Assert.Contains("| if grep -qx 'Hello, {name}!' src/greeting.txt", show.Output);
        Assert.Contains(written.GetProperty("approval_sha256").GetString()![..16], show.Output);

        var approve = await repository.ApproveAsync("greeting", "--by", "Ada");
        Assert.True(approve.ExitCode == 0, approve.ToString());
        Assert.Contains("Acceptance tests pinned in commit", approve.Output);
        Assert.Contains($"Plan-Acceptance: {written.GetProperty("approval_sha256").GetString()}", await repository.GitAsync("log", "-1", "--format=%B"));
        Assert.Contains("Plan-Id: greeting", await repository.GitAsync("log", "-1", "--format=%B"));

        // commit_step refuses a step that edits the pinned test, naming it.
        repository.WriteFile("src/greeting.txt", "Hello, {name}\n");
        repository.WriteFile(TestPath, "echo 'greeting: 1 passed, 0 failed'\n");
        var refused = await implementer.CallAsync("commit_step", new { plan_id = "greeting", step = 1, message = "Greeting", paths = new[] { "src/greeting.txt", TestPath } });
        Assert.True(refused.IsError);
        Assert.Contains("acceptance_file_pinned", ServerSession.Text(refused));
        Assert.Contains(TestPath, ServerSession.Text(refused));
        Assert.Contains("report_blocker", ServerSession.Text(refused));

        // The implementer commits a wrong greeting and weakens the test by hand around commit_step.
        await implementer.CallOkAsync("commit_step", new { plan_id = "greeting", step = 1, message = "Greeting", paths = new[] { "src/greeting.txt" } });
        repository.WriteFile("tests/greeting_test.sh", "Hello, Ada\n");
        await implementer.CallOkAsync("commit_step", new { plan_id = "greeting", step = 2, message = "Test", paths = new[] { "tests/greeting_test.sh" } });
        await repository.GitAsync("add", TestPath);
        await repository.GitAsync("commit", "-q", "-m", "make the acceptance test pass");
        var weakened = (await repository.GitAsync("rev-parse", "HEAD")).Trim();

        var handIn = await implementer.CallAsync("submit_for_review", new { plan_id = "greeting" });
        Assert.True(handIn.IsError, "the hand-in passed with the weakened test");
        Assert.Contains("acceptance_failed", ServerSession.Text(handIn));
        Assert.Contains("greeting is: Hello, {name}", ServerSession.Text(handIn));

        var evidence = await planner.CallOkAsync("review_implementation", new { plan_id = "greeting" });
        var tampering = evidence.GetProperty("acceptance").GetProperty("tampering").EnumerateArray().Select(line => line.GetString()!).ToList();
        Assert.Contains(tampering, line => line.Contains(weakened[..12], StringComparison.Ordinal) && line.Contains(TestPath, StringComparison.Ordinal));

        // Fixed through commit_step: the pinned test passes and its counts are recorded.
        repository.WriteFile("src/greeting.txt", "Hello, {name}!\n");
        await implementer.CallOkAsync("commit_step", new { plan_id = "greeting", step = 1, message = "Greeting with !", paths = new[] { "src/greeting.txt" } });
        var handedIn = await implementer.CallOkAsync("submit_for_review", new { plan_id = "greeting" });
        Assert.Equal("in_review", handedIn.GetProperty("status").GetString());

        var review = await planner.CallOkAsync("review_implementation", new { plan_id = "greeting" });
        var result = review.GetProperty("acceptance").GetProperty("result");
        Assert.True(result.GetProperty("passed").GetBoolean());
        Assert.Equal("1/1 passed", result.GetProperty("summary").GetString());
        Assert.Equal(1, result.GetProperty("counts").GetProperty("passed").GetInt32());
        Assert.Equal("plain", result.GetProperty("counts").GetProperty("source").GetString());
        Assert.True(review.TryGetProperty("verification", out _), "the acceptance result stands beside the verification result");

        await planner.CallOkAsync("submit_review", new
        {
            plan_id = "greeting",
            scores = Scores95,
            summary = "The pinned acceptance test passes.",
            criteria = new object[]
            {
                new { item = "C1", met = true, evidence = $"acceptance: {TestPath} passed, 1/1" },
                new { item = "C2", met = true, evidence = "src/greeting.txt:1" },
                new { item = "S1", met = true, evidence = "tests/greeting_test.sh:1 only reads src/greeting.txt" },
            },
        });
        var complete = await repository.CliAsync("complete", "greeting");
        Assert.True(complete.ExitCode == 0, complete.ToString());
        Assert.Contains("- Acceptance tests: 1/1 passed on", complete.Output);
    }

    [Fact]
    public async Task Integration_runs_the_pinned_test_again_on_the_merged_tree_and_refuses_when_it_fails()
    {
        using var repository = await TestRepository.CreateAsync();
        const string Guarded = "if test -e docs/broken.txt; then echo 'greeting: 0 passed, 1 failed'; exit 1; fi; echo 'greeting: 1 passed, 0 failed'\n";
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = Plan() });
        await planner.CallOkAsync("write_acceptance_file", new { plan_id = "greeting", path = TestPath, content = Guarded });
        Assert.Equal(0, (await repository.ApproveAsync("greeting")).ExitCode);

        // Built on its own branch in a linked worktree, handed in (the pinned test passes there) and verified.
        using var worktree = await repository.AddWorktreeAsync(".claude/worktrees/builder", "builder");
        await using (var implementer = await ServerSession.StartAsync(worktree, "implementer"))
        {
            worktree.WriteFile("src/greeting.txt", "Hello, {name}!\n");
            await implementer.CallOkAsync("commit_step", new { plan_id = "greeting", step = 1, message = "Add the greeting" });
            worktree.WriteFile("tests/greeting_test.sh", "expect: Hello, Ada!\n");
            await implementer.CallOkAsync("commit_step", new { plan_id = "greeting", step = 2, message = "Add the test" });
            await implementer.CallOkAsync("submit_for_review", new { plan_id = "greeting" });
        }

        await planner.CallOkAsync("submit_review", new { plan_id = "greeting", scores = Scores95, summary = "Good.", criteria = SamplePlans.GreetingCriteriaMet });

        // Main moves on with a change that breaks the acceptance test once merged.
        repository.WriteFile("docs/broken.txt", "breaks the acceptance test\n");
        await repository.GitAsync("add", "docs/broken.txt");
        await repository.GitAsync("commit", "-q", "-m", "work on main meanwhile");
        var mainBefore = (await repository.GitAsync("rev-parse", "main")).Trim();

        var integrated = await repository.CliAsync("integrate", "greeting");
        Assert.Equal(1, integrated.ExitCode);
        Assert.Contains("acceptance_failed", integrated.ToString());
        Assert.Contains("the integration was refused", integrated.ToString());
        Assert.Equal(mainBefore, (await repository.GitAsync("rev-parse", "main")).Trim());
    }

    [Fact]
    public async Task The_hook_denies_the_implementers_write_to_a_pinned_test()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = Plan() });
        await planner.CallOkAsync("write_acceptance_file", new { plan_id = "greeting", path = TestPath, content = Test });
        Assert.Equal(0, (await repository.ApproveAsync("greeting")).ExitCode);

        var payload = new System.Text.Json.Nodes.JsonObject
        {
            ["session_id"] = "s",
            ["cwd"] = repository.Root,
            ["hook_event_name"] = "PreToolUse",
            ["tool_name"] = "Write",
            ["tool_input"] = new System.Text.Json.Nodes.JsonObject { ["file_path"] = Path.Combine(repository.Root, TestPath), ["content"] = "exit 0\n" },
        }.ToJsonString();
        var hook = await ProcessRunner.RunAsync(Executable.Path, ["hook"], repository.Root,
            new Dictionary<string, string?> { ["MCPPLAN_ROLE"] = "implementer", ["CLAUDE_PROJECT_DIR"] = repository.Root }, standardInput: payload);

        Assert.Contains("\"deny\"", hook.Output);
        Assert.Contains("acceptance test pinned", hook.Output);
        Assert.Equal(Test, File.ReadAllText(Path.Combine(repository.Root, TestPath)));
    }
}
