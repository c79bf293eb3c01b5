using System.Text.Json.Nodes;
using McpPlanServer.Clients.Hooks;

namespace McpPlanServer.Tests.Hooks;

/// <summary>Whatever the hook cannot judge is blocked with exit 2 (any other non-zero exit would let the call through).</summary>
public sealed class HookFailClosedTests(HookRepositoryFixture repository) : IClassFixture<HookRepositoryFixture>
{
    public static TheoryData<string, string> MalformedPayloads => new()
    {
        { "", "not valid JSON" },
        { "not json", "not valid JSON" },
        { "[]", "not a JSON object" },
        { "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Edit\",\"cwd\":\"{REPO}\"}", "no tool_input" },
        { "{\"hook_event_name\":\"PreToolUse\",\"tool_input\":{\"file_path\":\"{REPO}/a\"},\"cwd\":\"{REPO}\"}", "no tool_name" },
        { "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Edit\",\"tool_input\":{\"file_path\":\"{REPO}/a\"}}", "no absolute cwd" },
        { "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Edit\",\"tool_input\":{\"file_path\":\"{REPO}/a\"},\"cwd\":\"relative\"}", "no absolute cwd" },
        { "{\"hook_event_name\":\"PostToolUse\",\"tool_name\":\"Edit\",\"tool_input\":{\"file_path\":\"{REPO}/a\"},\"cwd\":\"{REPO}\"}", "hooks.PreToolUse" },
        { "{\"tool_name\":\"Edit\",\"tool_input\":{\"file_path\":\"{REPO}/a\"},\"cwd\":\"{REPO}\"}", "event '(none)'" },
        { "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Edit\",\"tool_input\":{\"old_string\":\"a\"},\"cwd\":\"{REPO}\"}", "no file_path" },
        { "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Write\",\"tool_input\":{\"file_path\":42},\"cwd\":\"{REPO}\"}", "no file_path" },
        { "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"NotebookEdit\",\"tool_input\":{\"file_path\":\"{REPO}/a.ipynb\"},\"cwd\":\"{REPO}\"}", "no notebook_path" },
        { "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\",\"tool_input\":{\"command\":[\"git\",\"commit\"]},\"cwd\":\"{REPO}\"}", "no command" },
        { "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\",\"tool_input\":\"git commit\",\"cwd\":\"{REPO}\"}", "no tool_input" },
    };

    [Theory]
    [MemberData(nameof(MalformedPayloads))]
    public void Malformed_input_is_blocked_with_exit_2(string payload, string reasonPart)
    {
        foreach (var role in new[] { "planner", "implementer", "observer" })
        {
            var run = HookRun.Execute(repository.Expand(payload), role, new HookEnvironment(null, repository.Home));

            Assert.Equal(HookCommand.BlockingExitCode, run.ExitCode);
            Assert.Empty(run.Stdout);
            Assert.Contains(reasonPart, run.Stderr);
        }
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("owner")]
    [InlineData("Planner")]
    public void An_unknown_role_is_blocked_even_for_harmless_calls(string role)
    {
        var run = Run(repository.Repo, role, "Bash", "ls");

        Assert.Equal(HookCommand.BlockingExitCode, run.ExitCode);
        Assert.Contains("MCPPLAN_ROLE=planner, implementer or observer", run.Stderr);
    }

    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("[1]", "JSON object")]
    [InlineData("{\"plansRoot\": \"../outside\"}", "plansRoot must be a folder inside the repository")]
    [InlineData("{\"plansRoot\": 7}", "plansRoot")]
    [InlineData("{\"allowGitCommitInBash\": \"yes\"}", "true or false")]
    public void A_config_the_hook_cannot_read_blocks(string config, string reasonPart)
    {
        using var repo = new ConfiguredRepository(config);

        var run = Run(repo.Root, "implementer", "Edit", Path.Join(repo.Root, "src", "a.cs"));

        Assert.Equal(HookCommand.BlockingExitCode, run.ExitCode);
        Assert.Contains(reasonPart, run.Stderr);
        Assert.Contains(".claude/mcpplan.json", run.Stderr);
    }

    [Fact]
    public void The_config_moves_the_plans_root_and_can_allow_git_commit()
    {
        using var repo = new ConfiguredRepository("{\"plansRoot\": \"docs/plans\", \"allowGitCommitInBash\": true, \"threshold\": 80}");

        Assert.Equal(HookOutcome.Deny, Run(repo.Root, "implementer", "Write", Path.Join(repo.Root, "docs", "plans", "Active", "p.md")).Outcome);
        Assert.Equal(HookOutcome.Allow, Run(repo.Root, "implementer", "Write", Path.Join(repo.Root, ".claude", "plans", "p.md")).Outcome);
        Assert.Equal(HookOutcome.Allow, Run(repo.Root, "implementer", "Bash", "git commit -m step").Outcome);
        Assert.Equal(HookOutcome.Deny, Run(repo.Root, "planner", "Bash", "git commit -m step").Outcome);
    }

    [Fact]
    public void The_repository_is_found_above_a_subfolder_cwd()
    {
        var cwd = Path.Join(repository.Repo, "src");

        var run = Run(cwd, "implementer", "Bash", "echo x > ../.claude/plans/Active/p.md");

        Assert.Equal(HookOutcome.Deny, run.Outcome);
        Assert.Contains(".claude/plans/Active/p.md", run.Reason);
    }

    private HookRun Run(string cwd, string role, string tool, string pathOrCommand) =>
        HookRun.Execute(HookRun.Payload(tool, HookRun.ToolInput(tool, pathOrCommand), cwd), role, new HookEnvironment(null, repository.Home));
}
