using McpPlanServer.EndToEnd.Support;

namespace McpPlanServer.EndToEnd;

/// <summary>
/// The owner's decisions refuse to run inside an agent session, tried as an agent would: a client's marker in the
/// environment, an agent role, a shell that strips the marker before calling mcpplan (the ancestor still carries it),
/// and a client process in the ancestry. The same commands from a person's context (scrubbed, detached) work.
/// </summary>
public sealed class OwnerSessionTests
{
    [Theory]
    [InlineData("CLAUDECODE", "1")]
    [InlineData("CLAUDE_CODE_ENTRYPOINT", "cli")]
    [InlineData("MCPPLAN_ROLE", "planner")]
    [InlineData("MCPPLAN_ROLE", "implementer")]
    [InlineData("GEMINI_CLI", "1")]
    [InlineData("CODEX_SANDBOX", "seatbelt")]
    [InlineData("CURSOR_AGENT", "1")]
    public async Task Approve_is_refused_with_an_agent_marker_in_the_environment(string variable, string value)
    {
        using var repository = await PlanInReviewAsync();
        var sha = await repository.ShaAsync("greeting");
        var before = repository.Snapshot();

        var result = await PersonContext.RunAsync(Executable.Path, ["approve", "greeting", "--sha", sha, "--repo", repository.Root], repository.Root, new Dictionary<string, string?> { [variable] = value });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("agent_session", result.Error);
        Assert.Contains(variable, result.Error);
        Assert.Contains("owner decisions are the person's", result.Error);
        Assert.Equal(before, repository.Snapshot());
    }

    [Theory]
    [InlineData("request-changes", "--note", "no")]
    [InlineData("abandon", "--reason", "no")]
    [InlineData("complete")]
    public async Task Every_owner_decision_is_refused_in_an_agent_session(string command, params string[] options)
    {
        using var repository = await PlanInReviewAsync();
        var before = repository.Snapshot();

        var result = await PersonContext.RunAsync(Executable.Path, [command, "greeting", .. options, "--repo", repository.Root], repository.Root, new Dictionary<string, string?> { ["CLAUDECODE"] = "1" });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("agent_session", result.Error);
        Assert.Equal(before, repository.Snapshot());
    }

    [Fact]
    public async Task Stripping_the_marker_does_not_help_when_an_ancestor_carries_it()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Ancestry is read from /proc (Linux).");
        using var repository = await PlanInReviewAsync();
        var sha = await repository.ShaAsync("greeting");
        var before = repository.Snapshot();

        // What an agent's Bash would run: the shell carries CLAUDECODE, the command strips it for mcpplan alone.
        var result = await PersonContext.RunAsync(
            "/bin/sh",
            ["-c", "env -u CLAUDECODE \"$0\" \"$@\"; exit $?", Executable.Path, "approve", "greeting", "--sha", sha, "--repo", repository.Root],
            repository.Root,
            new Dictionary<string, string?> { ["CLAUDECODE"] = "1" });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("ancestor process", result.Error);
        Assert.Contains("carries CLAUDECODE", result.Error);
        Assert.Equal(before, repository.Snapshot());
    }

    [Fact]
    public async Task A_client_process_in_the_ancestry_is_an_agent_session_even_with_a_clean_environment()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Ancestry is read from /proc (Linux).");
        using var repository = await PlanInReviewAsync();
        var sha = await repository.ShaAsync("greeting");
        var client = Path.Combine(repository.Root, "bin", "claude");
        Directory.CreateDirectory(Path.GetDirectoryName(client)!);
        File.Copy("/bin/sh", client);

        var result = await PersonContext.RunAsync(client, ["-c", "\"$0\" \"$@\"; exit $?", Executable.Path, "approve", "greeting", "--sha", sha, "--repo", repository.Root], repository.Root);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("(claude) is claude", result.Error);
    }

    [Fact]
    public async Task From_a_persons_context_approve_works_and_the_evidence_is_recorded_and_flagged_without_a_terminal()
    {
        using var repository = await PlanInReviewAsync();

        var approved = await repository.ApproveAsync("greeting", "--by", "Ada");

        Assert.True(approved.ExitCode == 0, approved.ToString());
        Assert.Contains("Flagged: not a person's channel", approved.Output);
        var show = (await repository.CliAsync("show", "greeting")).Output;
        Assert.Contains("via cli", show);
        Assert.Contains("evidence  terminal no", show);
        Assert.Contains("agent markers none", show);
        Assert.Contains("FLAGGED   not a person's channel: the CLI ran without a terminal", show);
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        var read = await planner.CallOkAsync("read_plan", new { plan_id = "greeting" });
        Assert.False(read.GetProperty("approval").GetProperty("person_channel").GetBoolean());
        Assert.False(read.GetProperty("approval").GetProperty("evidence").GetProperty("terminal").GetBoolean());
    }

    [Fact]
    public async Task Approve_without_the_hash_is_refused_and_names_the_command_with_the_current_hash()
    {
        using var repository = await PlanInReviewAsync();
        var sha = await repository.ShaAsync("greeting");
        var before = repository.Snapshot();

        var result = await repository.CliAsync("approve", "greeting");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("sha_required", result.Error);
        Assert.Contains($"mcpplan approve greeting --sha {sha}", result.Error);
        Assert.Equal(before, repository.Snapshot());
        Assert.Contains("invalid_argument", (await repository.CliAsync("approve", "greeting", "--sha", "abc")).Error);
    }

    [Fact]
    public async Task A_revision_written_between_reading_and_approving_is_refused()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        var seen = await repository.ShaAsync("greeting");

        // The planner revises after the person read the plan and before they approve.
        var revised = await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting(" Also greet in French."), expected_revision = 1 });
        var result = await repository.CliAsync("approve", "greeting", "--sha", seen);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("plan_changed", result.Error);
        Assert.Contains("text revision 2", result.Error);
        Assert.Contains(revised.GetProperty("sha256").GetString()![..16], result.Error);
        Assert.True(File.Exists(Path.Combine(repository.PlansRoot, "Review", "greeting.md")));
        Assert.Equal(0, (await repository.ApproveAsync("greeting")).ExitCode);
    }

    private static async Task<TestRepository> PlanInReviewAsync()
    {
        var repository = await TestRepository.CreateAsync();
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        return repository;
    }
}
