using System.Text.Json.Nodes;
using McpPlanServer.Clients.Hooks;

namespace McpPlanServer.Tests.Hooks;

/// <summary>
/// <c>mcpplan hook --client gemini</c>: Gemini CLI's BeforeTool payloads (geminicli.com/docs/hooks/reference) through the
/// one role policy. Gemini blocks on exit 2 or on exit 0 with <c>"decision": "deny"</c>; any other exit only warns.
/// </summary>
public sealed class GeminiHookFormatTests(HookRepositoryFixture repository) : IClassFixture<HookRepositoryFixture>
{
    public static TheoryData<string, string, JsonObject, bool, string> Calls => new()
    {
        { "implementer", "write_file", new JsonObject { ["file_path"] = "{REPO}/.claude/plans/Active/p.md", ["content"] = "x" }, true, "plans folder" },
        { "implementer", "replace", new JsonObject { ["file_path"] = "{REPO}/.gemini/settings.json", ["old_string"] = "a", ["new_string"] = "b" }, true, "protected" },
        { "implementer", "replace", new JsonObject { ["file_path"] = "{REPO}/src/app.cs", ["old_string"] = "class", ["new_string"] = "sealed class" }, false, "" },
        { "planner", "write_file", new JsonObject { ["file_path"] = "{REPO}/src/new.cs", ["content"] = "x" }, true, "planner does not edit files" },
        { "implementer", "run_shell_command", new JsonObject { ["command"] = "echo x > .mcp.json" }, true, "protected" },
        { "implementer", "run_shell_command", new JsonObject { ["command"] = "echo x > p.md", ["dir_path"] = "{REPO}/.claude/plans/Active" }, true, "plans" },
        { "implementer", "run_shell_command", new JsonObject { ["command"] = "dotnet test", ["dir_path"] = "{REPO}/src" }, false, "" },
        { "observer", "run_shell_command", new JsonObject { ["command"] = "rm -rf src" }, true, "" },
        { "observer", "read_file", new JsonObject { ["file_path"] = "{REPO}/src/app.cs" }, false, "" },
    };

    [Theory]
    [MemberData(nameof(Calls))]
    public void Each_call_gets_gemini_s_answer_from_the_one_policy(string role, string tool, JsonObject toolInput, bool denied, string reasonPart)
    {
        var payload = new JsonObject
        {
            ["session_id"] = "s1",
            ["transcript_path"] = "/tmp/t.json",
            ["cwd"] = "{REPO}",
            ["hook_event_name"] = "BeforeTool",
            ["timestamp"] = "2026-12-02T11:00:00Z",
            ["tool_name"] = tool,
            ["tool_input"] = toolInput.DeepClone(),
        }.ToJsonString();

        var (exit, stdout, stderr) = Run(repository.Expand(payload), role);

        Assert.Equal(0, exit);
        Assert.Empty(stderr);
        var answer = JsonNode.Parse(stdout)!.AsObject();
        if (denied)
        {
            Assert.Equal("deny", answer["decision"]!.GetValue<string>());
            Assert.Contains(reasonPart, answer["reason"]!.GetValue<string>());
        }
        else
        {
            Assert.Empty(answer);
        }
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"write_file\",\"tool_input\":{\"file_path\":\"{REPO}/a\"},\"cwd\":\"{REPO}\"}", "hooks.BeforeTool in .gemini/settings.json")]
    [InlineData("{\"hook_event_name\":\"BeforeTool\",\"tool_name\":\"write_file\",\"tool_input\":{\"content\":\"x\"},\"cwd\":\"{REPO}\"}", "no file_path")]
    [InlineData("{\"hook_event_name\":\"BeforeTool\",\"tool_name\":\"run_shell_command\",\"tool_input\":{\"command\":7},\"cwd\":\"{REPO}\"}", "no command")]
    [InlineData("{\"hook_event_name\":\"BeforeTool\",\"tool_name\":\"replace\",\"tool_input\":{\"file_path\":\"{REPO}/a\"}}", "no absolute cwd")]
    public void Malformed_gemini_input_is_blocked_with_exit_2_which_gemini_treats_as_a_block(string payload, string reasonPart)
    {
        foreach (var role in new[] { "planner", "implementer", "observer" })
        {
            var (exit, stdout, stderr) = Run(repository.Expand(payload), role);

            Assert.Equal(HookCommand.BlockingExitCode, exit);
            Assert.Empty(stdout);
            Assert.Contains(reasonPart, stderr);
        }
    }

    [Fact]
    public void A_client_without_a_hook_format_is_blocked_not_allowed()
    {
        var (exit, stdout, stderr) = Run("{}", "implementer", client: "windsurf");

        Assert.Equal(HookCommand.BlockingExitCode, exit);
        Assert.Empty(stdout);
        Assert.Contains("no hook format for that client", stderr);
    }

    private (int Exit, string Stdout, string Stderr) Run(string stdin, string role, string client = GeminiHookFormat.Client)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = HookCommand.Run(new StringReader(stdin), stdout, stderr, role, new HookEnvironment(null, repository.Home), client);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
