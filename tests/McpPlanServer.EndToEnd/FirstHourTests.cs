using McpPlanServer.EndToEnd.Support;

namespace McpPlanServer.EndToEnd;

/// <summary>
/// What a new user meets first (issue 15): outside a repository every command says so at once; the approver is the
/// person's git identity; approve and show put the plan, its lint and the person's checklist in front of the decision.
/// </summary>
public sealed class FirstHourTests
{
    [Theory]
    [InlineData("status")]
    [InlineData("show", "greeting")]
    [InlineData("approve", "greeting", "--sha", "0123456789abcdef")]
    [InlineData("complete", "greeting")]
    [InlineData("log")]
    [InlineData("doctor")]
    [InlineData("init")]
    [InlineData("serve", "--role", "planner")]
    public async Task Outside_a_git_repository_every_command_stops_at_once_and_names_the_fix(params string[] arguments)
    {
        using var folder = new OutsideFolder();

        var result = await PersonContext.RunAsync(Executable.Path, arguments, folder.Root, timeout: TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("not inside a git repository", result.Error);
        Assert.Contains("git init", result.Error);
        Assert.Contains("--repo", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Root));
    }

    [Fact]
    public async Task A_repo_option_that_is_no_repository_is_refused_before_anything_is_written()
    {
        using var folder = new OutsideFolder();

        var result = await PersonContext.RunAsync(Executable.Path, ["status", "--repo", folder.Root], folder.Root);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("not the root of a git repository", result.Error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Root));
    }

    [Fact]
    public async Task Show_and_approve_print_the_plan_its_lint_and_the_checklist_and_the_approver_is_gits_user()
    {
        using var repository = await TestRepository.CreateAsync();
        await using (var planner = await ServerSession.StartAsync(repository, "planner"))
        {
            await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        }

        var shown = await repository.CliAsync("show", "greeting");
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Contains("Plan 'greeting': Greeting module", shown.Output);
        Assert.Contains("Add a greeting template and its test", shown.Output);
        Assert.Contains("  1. Create the template in src/greeting.txt", shown.Output);
        Assert.Contains("Lint: 0 errors", shown.Output);
        Assert.Contains("[ ] Success criteria clear and testable?", shown.Output);

        var text = await repository.CliAsync("show", "greeting", "--text");
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(repository.PlansRoot, "Review", "greeting.md"), TestContext.Current.CancellationToken), text.Output);

        var approved = await repository.ApproveAsync("greeting");
        Assert.True(approved.ExitCode == 0, approved.ToString());
        var brief = approved.Output.IndexOf("Before you approve, check:", StringComparison.Ordinal);
        Assert.InRange(brief, 0, approved.Output.IndexOf("Approved 'greeting'", StringComparison.Ordinal));
        Assert.Contains("as Test Person <person@example.com>.", approved.Output);
        Assert.Contains("approval  Test Person <person@example.com> at", (await repository.CliAsync("show", "greeting")).Output);
    }

    [Fact]
    public async Task Without_a_git_identity_or_by_approve_records_the_os_user_and_says_how_to_name_yourself()
    {
        using var repository = await TestRepository.CreateAsync();
        await using (var planner = await ServerSession.StartAsync(repository, "planner"))
        {
            await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        }

        var sha = await repository.ShaAsync("greeting");
        await repository.GitAsync("config", "--unset", "user.name");
        await repository.GitAsync("config", "--unset", "user.email");
        using var home = new OutsideFolder();

        var approved = await PersonContext.RunAsync(Executable.Path, ["approve", "greeting", "--sha", sha, "--repo", repository.Root], repository.Root,
            new Dictionary<string, string?> { ["HOME"] = home.Root, ["XDG_CONFIG_HOME"] = home.Root });

        Assert.True(approved.ExitCode == 0, approved.ToString());
        var user = Environment.UserName;
        Assert.Contains($"as {user}.", approved.Output);
        Assert.Contains($"Recorded your OS user name '{user}': git has no user.name or user.email here.", approved.Output);
        Assert.Contains("git config --global user.name", approved.Output);
        Assert.Contains($"approval  {user} at", (await repository.CliAsync("show", "greeting")).Output);
    }
}
