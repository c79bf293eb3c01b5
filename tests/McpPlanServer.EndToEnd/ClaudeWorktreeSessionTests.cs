using System.Text.Json.Nodes;
using McpPlanServer.EndToEnd.Support;

namespace McpPlanServer.EndToEnd;

/// <summary>
/// Issue 11 item 8 with the real Claude Code CLI (pinned in tests/claude-code) and a scripted model on loopback: with plan
/// branches on, an implementer session started as <c>claude -w NAME</c> (Claude Code's own parallel sessions, each in a
/// linked worktree under <c>.claude/worktrees/NAME</c>) claims a plan, writes the step's file and commits the step on
/// <c>plan/&lt;id&gt;</c>, while the person's main worktree stays where it was. Set up as ClaudeCodeSandboxTests: a
/// repository init set up (its files committed, as a team shares them, so the new worktree has them), a scratch HOME
/// that trusts it. Skipped only when npm cannot reach the registry or bubblewrap/socat are missing.
/// </summary>
[Trait("Speed", "Long")]
public sealed class ClaudeWorktreeSessionTests
{
    private const string Worktree = "builder-1";

    [Fact]
    public async Task A_claude_w_implementer_claims_a_plan_and_commits_its_step_on_the_plan_branch()
    {
        ClaudeCodeProcess.SkipUnlessSandbox();
        var claude = await ClaudeCodeProcess.InstallAsync();

        using var repository = await TestRepository.CreateAsync();
        var init = await ProcessRunner.RunAsync(Executable.Path, ["init", "--allow-machine-path", "--repo", repository.Root], repository.Root);
        Assert.True(init.ExitCode == 0, init.ToString());
        var configPath = Path.Combine(repository.Root, ".claude", "mcpplan.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!;
        config["planBranches"] = true;
        File.WriteAllText(configPath, config.ToJsonString());
        await repository.GitAsync("add", "-A");
        await repository.GitAsync("commit", "-q", "-m", "Set up mcpplan with plan branches");
        await using (var planner = await ServerSession.StartAsync(repository, "planner"))
        {
            await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        }

        var approve = await repository.ApproveAsync("greeting", "--by", "Ada");
        Assert.True(approve.ExitCode == 0, approve.ToString());
        var mainHead = (await repository.GitAsync("rev-parse", "HEAD")).Trim();
        var worktreeRoot = Path.Combine(repository.Root, ".claude", "worktrees", Worktree);

        using var model = new ScriptedModel(
        [
            new ScriptedToolCall("read_active_plan", new JsonObject { ["plan_id"] = "greeting", ["claim"] = true }),
            new ScriptedToolCall("Write", new JsonObject { ["file_path"] = Path.Combine(worktreeRoot, "src", "greeting.txt"), ["content"] = "Hello, {name}!\n" }),
            new ScriptedToolCall("commit_step", new JsonObject { ["plan_id"] = "greeting", ["step"] = 1, ["message"] = "Add the greeting template" }),
        ],
            waitTool: "WaitForMcpServers");
        var home = ClaudeCodeProcess.ScratchHome(repository.Root);
        try
        {
            var session = await RunClaudeInWorktreeAsync(claude, repository, home, model);
            Assert.True(session.ExitCode == 0, session.ToString());
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }

        var results = model.Results;
        Assert.True(results.Count == 3, $"the script stopped after {results.Count} of 3 calls; not offered: {model.Unoffered}; results: {string.Join(" | ", results)}");
        Assert.All(results, result => Assert.False(result.IsError, result.ToString()));
        Assert.True(Directory.Exists(worktreeRoot), $"claude -w {Worktree} made no worktree at .claude/worktrees/{Worktree}");
        Assert.Contains(worktreeRoot, await repository.GitAsync("worktree", "list", "--porcelain"));

        // The step commit is on the plan's branch, with the claim's fence and the plan's trailers, and is checked out in the session's worktree.
        var commit = await repository.GitAsync("log", "-1", "--format=%H%n%B", "plan/greeting");
        Assert.Contains("Add the greeting template", commit);
        Assert.Contains("Plan-Id: greeting", commit);
        Assert.Contains("Plan-Step: 1", commit);
        Assert.Matches(@"Plan-Claim: \d+", commit);
        Assert.Equal("refs/heads/plan/greeting", (await ProcessRunner.RunAsync("git", ["symbolic-ref", "HEAD"], worktreeRoot)).Output.Trim());
        Assert.Equal("Hello, {name}!\n", await repository.GitAsync("show", "plan/greeting:src/greeting.txt"));

        // The person's worktree did not move: same branch, same commit, and the step is not on main.
        Assert.Equal("main", (await repository.GitAsync("branch", "--show-current")).Trim());
        Assert.Equal(mainHead, (await repository.GitAsync("rev-parse", "HEAD")).Trim());
        Assert.False(File.Exists(Path.Combine(repository.Root, "src", "greeting.txt")));
    }

    /// <summary><c>MCPPLAN_ROLE=implementer claude -w NAME --settings .claude/mcpplan/implementer.settings.json -p …</c> from the repository root, its model scripted.</summary>
    private static Task<ProcessResult> RunClaudeInWorktreeAsync(string claude, TestRepository repository, string home, ScriptedModel model) =>
        ClaudeCodeProcess.RunAsync(
            claude,
            [
                "-w", Worktree, "-p", "Implement the next step of your plan.", "--settings", ".claude/mcpplan/implementer.settings.json",
                "--allowedTools", "Write,mcp__plans__read_active_plan,mcp__plans__commit_step", "--output-format", "json",
            ],
            repository.Root,
            home,
            "implementer",
            TimeSpan.FromSeconds(300),
            model,
            new Dictionary<string, string?>
            {
                // The plans server's tools in the first request, so the script can call them directly: not behind Claude Code's
                // ToolSearch, and connected before the turn starts (a cold .NET start on a loaded machine can lose the race).
                ["ENABLE_TOOL_SEARCH"] = "false",
                ["MCP_CONNECTION_NONBLOCKING"] = "0",
                ["MCP_TIMEOUT"] = "120000",
            });
}
