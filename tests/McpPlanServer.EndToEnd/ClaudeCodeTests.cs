using System.Text.Json.Nodes;
using McpPlanServer.EndToEnd.Support;

namespace McpPlanServer.EndToEnd;

/// <summary>
/// The real Claude Code CLI (pinned in tests/claude-code) health-checks the server from a project's .mcp.json, in a
/// scratch HOME whose settings approve project servers, once per role. Skipped only when npm cannot be reached.
/// </summary>
[Trait("Speed", "Long")]
public sealed class ClaudeCodeTests
{
    [Theory]
    [InlineData("planner")]
    [InlineData("implementer")]
    [InlineData("observer")]
    [InlineData(null)]
    public async Task Claude_mcp_list_reports_the_server_connected(string? role)
    {
        var (repository, home, claude) = await PrepareAsync();
        using var _ = repository;

        var result = await RunClaudeAsync(claude, repository.Root, home, role);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("plans:", result.Output);
        Assert.Contains("Connected", result.Output);
    }

    [Fact]
    public async Task An_unknown_role_fails_the_health_check()
    {
        var (repository, home, claude) = await PrepareAsync();
        using var _ = repository;

        var result = await RunClaudeAsync(claude, repository.Root, home, "wizard");

        Assert.Contains("plans:", result.Output);
        Assert.DoesNotContain("Connected", result.Output);
    }

    private static async Task<(TestRepository Repository, string Home, string Claude)> PrepareAsync()
    {
        var claude = await ClaudeCodeProcess.InstallAsync();

        var repository = await TestRepository.CreateAsync();
        var server = new JsonObject
        {
            ["type"] = "stdio",
            ["command"] = Executable.Path,
            ["args"] = new JsonArray("serve", "--role", "${MCPPLAN_ROLE:-observer}"),
        };
        repository.WriteFile(".mcp.json", new JsonObject { ["mcpServers"] = new JsonObject { ["plans"] = server } }.ToJsonString());
        var home = ClaudeCodeProcess.ScratchHome(repository.Root, Path.Combine(repository.Root, ".scratch-home"));
        return (repository, home, claude);
    }

    private static Task<ProcessResult> RunClaudeAsync(string claude, string repository, string home, string? role) =>
        ClaudeCodeProcess.RunAsync(claude, ["mcp", "list"], repository, home, role, TimeSpan.FromSeconds(90));
}
