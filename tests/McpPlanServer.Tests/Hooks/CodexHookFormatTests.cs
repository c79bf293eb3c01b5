using System.Text.Json.Nodes;
using McpPlanServer.Clients.Hooks;

namespace McpPlanServer.Tests.Hooks;

/// <summary>
/// <c>mcpplan hook --client codex</c>: Codex CLI's PreToolUse payloads (Claude Code's fields plus <c>turn_id</c>; file edits as
/// <c>apply_patch</c> with the patch in <c>tool_input.command</c>, openai/codex PR 18391) through the one role policy. Codex
/// blocks on Claude Code's <c>permissionDecision: deny</c> or on exit 2.
/// </summary>
public sealed class CodexHookFormatTests(HookRepositoryFixture repository) : IClassFixture<HookRepositoryFixture>
{
    private const string PatchOfSource = "*** Begin Patch\n*** Update File: src/app.cs\n@@\n-class App\n+sealed class App\n*** Add File: {REPO}/src/new.cs\n+class New {}\n*** End Patch\n";

    public static TheoryData<string, string, string, bool, string> Calls => new()
    {
        { "implementer", "apply_patch", PatchOfSource, false, "" },
        { "implementer", "apply_patch", "*** Begin Patch\n*** Update File: src/app.cs\n@@\n+x\n*** Update File: .claude/plans/Active/p.md\n@@\n+- [x] done\n*** End Patch\n", true, "plans folder" },
        { "implementer", "apply_patch", "*** Begin Patch\n*** Delete File: {REPO}/.codex/config.toml\n*** End Patch\n", true, "protected" },
        { "implementer", "apply_patch", "*** Begin Patch\n*** Update File: src/app.cs\n*** Move to: .mcp.json\n@@\n+x\n*** End Patch\n", true, "protected" },
        { "planner", "apply_patch", PatchOfSource, true, "planner does not edit files" },
        { "implementer", "Bash", "echo x > .mcp.json", true, "protected" },
        { "implementer", "Bash", "dotnet test", false, "" },
        { "observer", "Bash", "rm -rf src", true, "" },
    };

    [Theory]
    [MemberData(nameof(Calls))]
    public void Each_call_gets_codex_s_answer_from_the_one_policy(string role, string tool, string command, bool denied, string reasonPart)
    {
        var (exit, stdout, stderr) = Run(Payload(tool, command), role);

        Assert.True(exit == 0, stderr);
        Assert.Empty(stderr);
        if (denied)
        {
            var output = JsonNode.Parse(stdout)!["hookSpecificOutput"]!;
            Assert.Equal("PreToolUse", output["hookEventName"]!.GetValue<string>());
            Assert.Equal("deny", output["permissionDecision"]!.GetValue<string>());
            Assert.Contains(reasonPart, output["permissionDecisionReason"]!.GetValue<string>());
        }
        else
        {
            Assert.Empty(stdout);
        }
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("*** Begin Patch\n*** End Patch\n", "names no file")]
    [InlineData("*** Begin Patch\n+only added lines without a header\n*** End Patch\n", "names no file")]
    public void A_call_the_hook_cannot_judge_blocks_with_exit_2(string command, string message)
    {
        var (exit, stdout, stderr) = Run(command == "not json" ? "{" : Payload("apply_patch", command), "implementer");

        Assert.Equal(HookCommand.BlockingExitCode, exit);
        Assert.Empty(stdout);
        Assert.Contains(message, stderr);
    }

    [Fact]
    public void An_apply_patch_without_its_patch_text_blocks()
    {
        var payload = JsonNode.Parse(Payload("apply_patch", "x"))!.AsObject();
        payload["tool_input"] = new JsonObject { ["input"] = "*** Begin Patch" };

        var (exit, _, stderr) = Run(payload.ToJsonString(), "implementer");

        Assert.Equal(HookCommand.BlockingExitCode, exit);
        Assert.Contains("no command", stderr);
    }

    /// <summary>A PreToolUse payload in the shape Codex CLI sends (recorded field set, values of this test's repository).</summary>
    private string Payload(string tool, string command) => repository.Expand(new JsonObject
    {
        ["session_id"] = "019a8b3e-5f1a-7c2e-9d43-2a1f7c1e8b10",
        ["turn_id"] = "019a8b3e-6a10-7d55-a1c2-77e0f3b4c9d1",
        ["transcript_path"] = "/home/user/.codex/sessions/2026/12/02/rollout.jsonl",
        ["cwd"] = "{REPO}",
        ["hook_event_name"] = "PreToolUse",
        ["model"] = "gpt-5.1-codex",
        ["permission_mode"] = "default",
        ["tool_name"] = tool,
        ["tool_use_id"] = "call_7Qw2",
        ["tool_input"] = new JsonObject { ["command"] = command },
    }.ToJsonString());

    private (int Exit, string Stdout, string Stderr) Run(string stdin, string role)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = HookCommand.Run(new StringReader(stdin), stdout, stderr, role, new HookEnvironment(null, repository.Home), CodexHookFormat.Client);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
