using System.Text.Json.Nodes;
using McpPlanServer.Clients.Hooks;

namespace McpPlanServer.Tests.Hooks;

/// <summary>
/// <c>mcpplan hook --client copilot</c>: Copilot CLI's preToolUse payloads (<c>toolName</c>, <c>toolArgs</c> as a JSON string
/// or an object; docs.github.com hooks-configuration) and VS Code's (Claude Code's fields; code.visualstudio.com hooks
/// reference) through the one role policy, each answered in its own shape.
/// </summary>
public sealed class CopilotHookFormatTests(HookRepositoryFixture repository) : IClassFixture<HookRepositoryFixture>
{
    public static TheoryData<string, string, JsonObject, bool, string> CliCalls => new()
    {
        { "implementer", "bash", new JsonObject { ["command"] = "dotnet test", ["description"] = "Run tests" }, false, "" },
        { "implementer", "bash", new JsonObject { ["command"] = "sed -i 's/- \\[ \\]/- [x]/' .claude/plans/Active/p.md" }, true, "plans folder" },
        { "implementer", "bash", new JsonObject { ["command"] = "cp /tmp/x .github/hooks/mcpplan.json" }, true, "protected" },
        { "implementer", "bash", new JsonObject { ["command"] = "env -u MCPPLAN_ROLE mcpplan complete p" }, true, "" },
        { "implementer", "create", new JsonObject { ["path"] = "{REPO}/src/new.cs", ["file_text"] = "class New {}" }, false, "" },
        { "implementer", "create", new JsonObject { ["path"] = "{REPO}/notes/p.md", ["file_text"] = "# Plan: P" }, true, "plans folder" },
        { "implementer", "edit", new JsonObject { ["path"] = "{REPO}/.mcp.json", ["old_str"] = "{}", ["new_str"] = "{\"x\":1}" }, true, "protected" },
        { "planner", "edit", new JsonObject { ["path"] = "{REPO}/src/app.cs", ["old_str"] = "class", ["new_str"] = "sealed class" }, true, "planner does not edit files" },
        { "observer", "view", new JsonObject { ["path"] = "{REPO}/src/app.cs" }, false, "" },
    };

    [Theory]
    [MemberData(nameof(CliCalls))]
    public void Copilot_cli_calls_get_its_answer_with_tool_args_as_a_string_or_an_object(string role, string tool, JsonObject args, bool denied, string reasonPart)
    {
        foreach (var argsAsString in new[] { true, false })
        {
            var (exit, stdout, stderr) = Run(CliPayload(tool, args, argsAsString), role);

            Assert.True(exit == 0, stderr);
            if (denied)
            {
                var answer = JsonNode.Parse(stdout)!;
                Assert.Equal("deny", answer["permissionDecision"]!.GetValue<string>());
                Assert.Contains(reasonPart, answer["permissionDecisionReason"]!.GetValue<string>());
            }
            else
            {
                Assert.Empty(stdout);
            }
        }
    }

    public static TheoryData<string, string, JsonObject, bool, string> VsCodeCalls => new()
    {
        { "implementer", "run_in_terminal", new JsonObject { ["command"] = "echo x > .vscode/mcp.json", ["isBackground"] = false }, true, "protected" },
        { "implementer", "run_in_terminal", new JsonObject { ["command"] = "npm test", ["isBackground"] = false }, false, "" },
        { "implementer", "create_file", new JsonObject { ["filePath"] = "{REPO}/.claude/plans/Review/q.md", ["content"] = "x" }, true, "plans folder" },
        { "implementer", "replace_string_in_file", new JsonObject { ["filePath"] = "{REPO}/src/app.cs", ["oldString"] = "a", ["newString"] = "b" }, false, "" },
        { "implementer", "editFiles", new JsonObject { ["files"] = new JsonArray("{REPO}/src/app.cs", "{REPO}/.claude/mcpplan.json") }, true, "protected" },
        { "planner", "editFiles", new JsonObject { ["files"] = new JsonArray("{REPO}/src/app.cs") }, true, "planner does not edit files" },
        { "observer", "read_file", new JsonObject { ["filePath"] = "{REPO}/src/app.cs" }, false, "" },
    };

    [Theory]
    [MemberData(nameof(VsCodeCalls))]
    public void Vs_code_calls_get_claude_code_s_answer(string role, string tool, JsonObject input, bool denied, string reasonPart)
    {
        var payload = new JsonObject
        {
            ["timestamp"] = "2026-12-02T11:00:00.000Z",
            ["cwd"] = "{REPO}",
            ["sessionId"] = "s1",
            ["hook_event_name"] = "PreToolUse",
            ["transcript_path"] = "/tmp/t.json",
            ["tool_name"] = tool,
            ["tool_input"] = input.DeepClone(),
            ["tool_use_id"] = "tool-123",
        };

        var run = Run(repository.Expand(payload.ToJsonString()), role);

        Assert.Equal(denied ? HookOutcome.Deny : HookOutcome.Allow, run.Outcome);
        Assert.Contains(reasonPart, run.Reason);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("{\"cwd\":\"{REPO}\",\"toolArgs\":\"{}\"}", "no toolName")]
    [InlineData("{\"toolName\":\"bash\",\"toolArgs\":\"{\\\"command\\\":\\\"ls\\\"}\"}", "no absolute cwd")]
    [InlineData("{\"toolName\":\"bash\",\"cwd\":\"{REPO}\"}", "no toolArgs")]
    [InlineData("{\"toolName\":\"bash\",\"cwd\":\"{REPO}\",\"toolArgs\":\"{\\\"command\\\":\"}", "not valid JSON")]
    [InlineData("{\"toolName\":\"bash\",\"cwd\":\"{REPO}\",\"toolArgs\":\"[1]\"}", "not a JSON object")]
    [InlineData("{\"toolName\":\"create\",\"cwd\":\"{REPO}\",\"toolArgs\":{\"file_text\":\"x\"}}", "no path")]
    [InlineData("{\"toolName\":\"powershell\",\"cwd\":\"{REPO}\",\"toolArgs\":{\"command\":\"Remove-Item .claude -Recurse\"}}", "PowerShell")]
    [InlineData("{\"hook_event_name\":\"PostToolUse\",\"tool_name\":\"run_in_terminal\",\"tool_input\":{},\"cwd\":\"{REPO}\"}", "only answers PreToolUse")]
    [InlineData("{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"editFiles\",\"tool_input\":{\"files\":[]},\"cwd\":\"{REPO}\"}", "names no files")]
    [InlineData("{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"create_file\",\"tool_input\":{\"content\":\"x\"},\"cwd\":\"{REPO}\"}", "no filePath")]
    public void Input_the_hook_cannot_judge_exits_2_which_copilot_treats_as_a_deny(string payload, string reasonPart)
    {
        foreach (var role in new[] { "planner", "implementer", "observer" })
        {
            var (exit, stdout, stderr) = Run(repository.Expand(payload), role);

            Assert.Equal(HookCommand.BlockingExitCode, exit);
            Assert.Empty(stdout);
            Assert.Contains(reasonPart, stderr);
        }
    }

    /// <summary>A preToolUse payload in the shape Copilot CLI sends.</summary>
    private string CliPayload(string tool, JsonObject args, bool argsAsString) => repository.Expand(new JsonObject
    {
        ["sessionId"] = "85a696df-0c1e-4a57-a1f4-3c2b9a7d6e10",
        ["timestamp"] = 1788992290306,
        ["cwd"] = "{REPO}",
        ["toolName"] = tool,
        ["toolArgs"] = argsAsString ? args.ToJsonString() : args.DeepClone(),
    }.ToJsonString());

    private HookRun Run(string stdin, string role) => HookRun.Execute(stdin, role, new HookEnvironment(null, repository.Home), CopilotHookFormat.Client);
}
