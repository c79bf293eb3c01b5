using McpPlanServer.EndToEnd.Support;

namespace McpPlanServer.EndToEnd;

/// <summary>The whole two-role loop over stdio on a real repository: plan, approve, commit steps, a failing review,
/// a fix, a passing review, completion — checked against git itself.</summary>
public sealed class FullLoopTests
{
    private static readonly object Scores95 = new { architecture = 95, code_quality = 95, testing = 95, performance = 95, security = 95 };
    private static readonly object Scores70 = new { architecture = 80, code_quality = 70, testing = 60, performance = 70, security = 70 };

    [Fact]
    public async Task A_plan_goes_from_review_to_completed_with_a_failing_review_a_fix_and_a_passing_review()
    {
        using var repository = await TestRepository.CreateAsync();

        // notes.txt stays untracked in the working tree: the check passes only where it is absent — on the committed tree.
        repository.WriteFile(".claude/mcpplan.json", """{ "verify": { "command": "grep -q 'Hello' src/greeting.txt && test ! -e notes.txt && echo verified", "timeoutSeconds": 30 } }""");
        await repository.GitAsync("add", ".claude/mcpplan.json");
        await repository.GitAsync("commit", "-q", "-m", "configure mcpplan");
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await using var implementer = await ServerSession.StartAsync(repository, "implementer");

        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        Assert.Equal(0, (await repository.ApproveAsync("greeting", "--by", "Ada")).ExitCode);

        repository.WriteFile("src/greeting.txt", "Hello, {name}\n");
        var step1 = await implementer.CallOkAsync("commit_step", new { plan_id = "greeting", step = 1, message = "Add the greeting template" });
        Assert.Equal(2, step1.GetProperty("next_step").GetInt32());

        var early = await implementer.CallAsync("submit_for_review", new { plan_id = "greeting" });
        Assert.True(early.IsError);
        Assert.Contains("steps_not_done", ServerSession.Text(early));

        repository.WriteFile("tests/greeting_test.sh", "expect: Hello, Ada!\n");
        repository.WriteFile("notes.txt", "scratch notes\n");
        var step2 = await implementer.CallOkAsync("commit_step", new { plan_id = "greeting", step = 2, message = "Add the greeting test", paths = new[] { "tests/greeting_test.sh" } });
        Assert.Empty(step2.GetProperty("unplanned_files").EnumerateArray());

        // An uncommitted change to a planned file refuses the hand-in and names the file.
        repository.WriteFile("src/greeting.txt", "Goodbye, {name}\n");
        var loose = await implementer.CallAsync("submit_for_review", new { plan_id = "greeting" });
        Assert.True(loose.IsError);
        Assert.Contains("uncommitted_changes", ServerSession.Text(loose));
        Assert.Contains("src/greeting.txt (modified)", ServerSession.Text(loose));
        repository.WriteFile("src/greeting.txt", "Hello, {name}\n");

        var handedIn = await implementer.CallOkAsync("submit_for_review", new { plan_id = "greeting" });
        Assert.Equal("in_review", handedIn.GetProperty("status").GetString());
        Assert.Equal(0, handedIn.GetProperty("verification").GetProperty("exit_code").GetInt32());
        Assert.Equal((await repository.GitAsync("rev-parse", "HEAD")).Trim(), handedIn.GetProperty("verification").GetProperty("head").GetString());
        Assert.Contains("clean checkout", handedIn.GetProperty("verification").GetProperty("ran_on").GetString());

        var evidence = await planner.CallOkAsync("review_implementation", new { plan_id = "greeting" });
        Assert.Equal(step1.GetProperty("commit").GetString(), evidence.GetProperty("steps")[0].GetProperty("commits")[0].GetProperty("sha").GetString());
        Assert.Contains("+Hello, {name}", evidence.GetProperty("steps")[0].GetProperty("commits")[0].GetProperty("diff").GetString());
        Assert.Contains(evidence.GetProperty("uncommitted_changes").EnumerateArray(), change => change.GetProperty("path").GetString() == "notes.txt");
        Assert.Empty(evidence.GetProperty("commits_outside_commit_step").EnumerateArray());
        var approval = evidence.GetProperty("approval");
        Assert.Equal("Ada", approval.GetProperty("approver").GetString());
        Assert.Equal("cli", approval.GetProperty("channel").GetString());
        Assert.False(approval.GetProperty("person_channel").GetBoolean());
        Assert.Contains("without a terminal", approval.GetProperty("channel_warning").GetString());
        Assert.NotEmpty(approval.GetProperty("evidence").GetProperty("process_chain").EnumerateArray());

        var failing = await planner.CallOkAsync("submit_review", new
        {
            plan_id = "greeting",
            scores = Scores70,
            findings = new[] { new { severity = "major", location = "src/greeting.txt:1", message = "The greeting lacks the '!' the plan asks for." } },
            summary = "Close, but the template misses the exclamation mark.",
            criteria = new object[]
            {
                new { item = "C1", met = true, evidence = "tests/greeting_test.sh:1" },
                new { item = "C2", met = false, evidence = "src/greeting.txt:1 reads 'Hello, {name}' without '!'" },
                new { item = "S1", met = true, evidence = "tests/greeting_test.sh:1 only reads src/greeting.txt" },
            },
        });
        Assert.Equal("changes_requested", failing.GetProperty("verdict").GetString());
        Assert.Equal(70.0, failing.GetProperty("weighted_total").GetDouble());

        var toFix = await implementer.CallOkAsync("read_active_plan", new { plan_id = "greeting" });
        var finding = toFix.GetProperty("open_findings")[0];
        Assert.Equal("R1-F1", finding.GetProperty("id").GetString());

        repository.WriteFile("src/greeting.txt", "Hello, {name}!\n");
        await implementer.CallOkAsync("commit_step", new { plan_id = "greeting", step = 1, message = "Add the missing '!'", paths = new[] { "src/greeting.txt" }, addresses_findings = new[] { "R1-F1" } });
        await implementer.CallOkAsync("submit_for_review", new { plan_id = "greeting" });

        var unanswered = await planner.CallAsync("submit_review", new { plan_id = "greeting", scores = Scores95, summary = "All criteria met.", criteria = new[] { SamplePlans.GreetingCriteriaMet[0] } });
        Assert.True(unanswered.IsError);
        Assert.Contains("unanswered_criteria", ServerSession.Text(unanswered));
        Assert.Contains("C2", ServerSession.Text(unanswered));

        var passing = await planner.CallOkAsync("submit_review", new { plan_id = "greeting", scores = Scores95, summary = "All criteria met.", criteria = SamplePlans.GreetingCriteriaMet });
        Assert.Equal("verified", passing.GetProperty("verdict").GetString());
        Assert.Equal("3/3", passing.GetProperty("criteria_met").GetString());

        var complete = await repository.CliAsync("complete", "greeting");
        Assert.True(complete.ExitCode == 0, complete.ToString());
        Assert.True(File.Exists(Path.Combine(repository.PlansRoot, "Completed", "greeting.md")));
        var archived = File.ReadAllText(Path.Combine(repository.PlansRoot, "Completed", "greeting.md"));
        Assert.Contains("- [x] `src/greeting.txt` contains", archived);
        Assert.Contains("- Success criteria met (2/2)", archived);
        Assert.Contains("Critical issues: None", archived);
        Assert.Contains("## Verification report", complete.Output);
        Assert.True(File.Exists(Path.Combine(repository.PlansRoot, ".records", "greeting.review-1.md")));

        var log = await repository.GitAsync("log", "--format=%s|%(trailers:key=Plan-Id,valueonly,separator=)|%(trailers:key=Plan-Step,valueonly,separator=)");
        Assert.Equal(
            ["Add the missing '!'|greeting|1", "Add the greeting test|greeting|2", "Add the greeting template|greeting|1", "configure mcpplan||", "initial||"],
            log.Trim().Split('\n'));
        var stepTwoFiles = await repository.GitAsync("show", "--name-only", "--format=", step2.GetProperty("commit").GetString()!);
        Assert.Equal("tests/greeting_test.sh", stepTwoFiles.Trim());

        var show = await repository.CliAsync("show", "greeting");
        Assert.Contains(step1.GetProperty("commit").GetString()![..12], show.Output);
        Assert.Contains("70.0/90 changes_requested", show.Output);
        Assert.Contains("completed", show.Output);
        Assert.Contains("Verification: `grep -q 'Hello' src/greeting.txt && test ! -e notes.txt && echo verified` exit 0", show.Output);
        Assert.Contains("on a clean checkout of", show.Output);
    }

    [Fact]
    public async Task A_commit_made_outside_commit_step_is_reported_to_both_roles()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await using var implementer = await ServerSession.StartAsync(repository, "implementer");
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        Assert.Equal(0, (await repository.ApproveAsync("greeting")).ExitCode);

        repository.WriteFile("src/greeting.txt", "Hello!\n");
        await repository.GitAsync("add", "src/greeting.txt");
        await repository.GitAsync("commit", "-q", "-m", "sneaky direct commit");

        var active = await implementer.CallOkAsync("read_active_plan");
        Assert.Equal("sneaky direct commit", active.GetProperty("commits_outside_commit_step")[0].GetProperty("subject").GetString());
        Assert.Contains("outside commit_step", active.GetProperty("warning").GetString());

        var evidence = await planner.CallOkAsync("review_implementation", new { plan_id = "greeting" });
        Assert.Equal("sneaky direct commit", evidence.GetProperty("commits_outside_commit_step")[0].GetProperty("subject").GetString());
    }

    [Fact]
    public async Task Drift_policy_block_refuses_unplanned_files_unless_the_deviation_is_declared()
    {
        using var repository = await TestRepository.CreateAsync();
        repository.WriteFile(".claude/mcpplan.json", """{ "drift": "block" }""");
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await using var implementer = await ServerSession.StartAsync(repository, "implementer");
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        Assert.Equal(0, (await repository.ApproveAsync("greeting")).ExitCode);
        repository.WriteFile("src/greeting.txt", "Hello, {name}!\n");
        repository.WriteFile("src/extra.txt", "not in the plan\n");
        var head = await repository.GitAsync("rev-parse", "HEAD");

        var refused = await implementer.CallAsync("commit_step", new { plan_id = "greeting", step = 1, message = "greeting", paths = new[] { "src/greeting.txt", "src/extra.txt" } });
        Assert.True(refused.IsError);
        Assert.Contains("src/extra.txt", ServerSession.Text(refused));
        Assert.Equal(head, await repository.GitAsync("rev-parse", "HEAD"));

        var declared = await implementer.CallOkAsync("commit_step", new { plan_id = "greeting", step = 1, message = "greeting", paths = new[] { "src/greeting.txt", "src/extra.txt" }, deviation_reason = "The template needs a helper file." });
        Assert.Equal("src/extra.txt", declared.GetProperty("unplanned_files")[0].GetString());
        var show = await repository.CliAsync("show", "greeting");
        Assert.Contains("unplanned: src/extra.txt", show.Output);
    }
}
