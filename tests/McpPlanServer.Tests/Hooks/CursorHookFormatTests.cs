using System.Text.Json.Nodes;
using McpPlanServer.Clients.Hooks;

namespace McpPlanServer.Tests.Hooks;

/// <summary>
/// <c>mcpplan hook --client cursor</c>: Cursor's preToolUse and beforeShellExecution payloads (cursor.com/docs/agent/hooks;
/// recorded field sets in docs/clients.md) through the one role policy. Cursor denies on exit 0 with
/// <c>"permission": "deny"</c> or on exit 2; any other failure passes unless the entry sets <c>failClosed</c>.
/// </summary>
public sealed class CursorHookFormatTests(HookRepositoryFixture repository) : IClassFixture<HookRepositoryFixture>
{
    public static TheoryData<string, string, string, JsonObject, bool, string> Calls => new()
    {
        { "implementer", "preToolUse", "Write", new JsonObject { ["file_path"] = "{REPO}/src/new.cs", ["contents"] = "x" }, false, "" },
        { "implementer", "preToolUse", "Write", new JsonObject { ["file_path"] = "{REPO}/.claude/plans/Active/p.md", ["contents"] = "x" }, true, "plans folder" },
        { "implementer", "preToolUse", "StrReplace", new JsonObject { ["path"] = "{REPO}/notes/p.md", ["old_string"] = "a", ["new_string"] = "b" }, true, "plans folder" },
        { "implementer", "preToolUse", "Delete", new JsonObject { ["file_path"] = "{REPO}/.cursor/hooks.json" }, true, "protected" },
        { "implementer", "preToolUse", "Edit", new JsonObject { ["file_path"] = "src/settings-link.json" }, true, "protected" },
        { "planner", "preToolUse", "Write", new JsonObject { ["file_path"] = "{REPO}/src/new.cs", ["contents"] = "x" }, true, "planner does not edit files" },
        { "implementer", "preToolUse", "Shell", new JsonObject { ["command"] = "echo x > .mcp.json" }, true, "protected" },
        { "implementer", "preToolUse", "Shell", new JsonObject { ["command"] = "echo '- [x]' >> p.md", ["cwd"] = "{REPO}/.claude/plans/Active" }, true, "plans" },
        { "implementer", "preToolUse", "Shell", new JsonObject { ["command"] = "dotnet test" }, false, "" },
        { "implementer", "preToolUse", "Shell", new JsonObject { ["command"] = "mcpplan approve p" }, true, "person's decision" },
        { "observer", "preToolUse", "Read", new JsonObject { ["file_path"] = "{REPO}/src/app.cs" }, false, "" },
        { "implementer", "beforeShellExecution", "", new JsonObject { ["command"] = "git commit -am wip" }, true, "commit_step" },
        { "implementer", "beforeShellExecution", "", new JsonObject { ["command"] = "cd .claude/plans && mv Review/p.md Active/" }, true, "plans" },
        { "planner", "beforeShellExecution", "", new JsonObject { ["command"] = "git status" }, false, "" },
        { "observer", "beforeShellExecution", "", new JsonObject { ["command"] = "rm -rf src" }, true, "observer" },
        { "observer", "beforeReadFile", "", new JsonObject { ["file_path"] = "{REPO}/.mcp.json", ["content"] = "{}" }, false, "" },
    };

    [Theory]
    [MemberData(nameof(Calls))]
    public void Each_call_gets_cursor_s_answer_from_the_one_policy(string role, string eventName, string tool, JsonObject input, bool denied, string reasonPart)
    {
        var (exit, stdout, stderr) = Run(Payload(eventName, tool, input), role);

        Assert.True(exit == 0, stderr);
        Assert.Empty(stderr);
        var answer = JsonNode.Parse(stdout)!.AsObject();
        if (denied)
        {
            Assert.Equal("deny", answer["permission"]!.GetValue<string>());
            Assert.Contains(reasonPart, answer["agent_message"]!.GetValue<string>());
            Assert.Equal(answer["agent_message"]!.GetValue<string>(), answer["user_message"]!.GetValue<string>());
        }
        else
        {
            Assert.Empty(answer); // no "allow": Cursor's own approval of the call still applies
        }
    }

    [Fact]
    public void Without_cwd_the_first_workspace_root_is_where_relative_targets_resolve()
    {
        var payload = JsonNode.Parse(Payload("preToolUse", "Write", new JsonObject { ["file_path"] = ".claude/plans/Review/x.md", ["contents"] = "x" }))!.AsObject();
        payload.Remove("cwd");

        var (exit, stdout, _) = Run("\uFEFF" + payload.ToJsonString(), "implementer"); // Cursor on Windows sends a BOM first

        Assert.Equal(0, exit);
        Assert.Equal("deny", JsonNode.Parse(stdout)!["permission"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("{\"hook_event_name\":\"afterShellExecution\",\"command\":\"ls\",\"workspace_roots\":[\"{REPO}\"]}", "only answers preToolUse, beforeShellExecution and afterFileEdit")]
    [InlineData("{\"hook_event_name\":\"beforeShellExecution\",\"workspace_roots\":[\"{REPO}\"]}", "no command")]
    [InlineData("{\"hook_event_name\":\"beforeShellExecution\",\"command\":\"ls\"}", "no absolute cwd or workspace_roots")]
    [InlineData("{\"hook_event_name\":\"beforeShellExecution\",\"command\":\"ls\",\"cwd\":\"relative/dir\"}", "no absolute cwd")]
    [InlineData("{\"hook_event_name\":\"preToolUse\",\"tool_name\":\"Write\",\"tool_input\":{\"contents\":\"x\"},\"cwd\":\"{REPO}\"}", "no file_path")]
    [InlineData("{\"hook_event_name\":\"preToolUse\",\"tool_name\":\"Delete\",\"tool_input\":\"{REPO}/.mcp.json\",\"cwd\":\"{REPO}\"}", "no tool_input object")]
    [InlineData("{\"hook_event_name\":\"preToolUse\",\"tool_name\":\"Shell\",\"tool_input\":{\"command\":[\"rm\",\"-rf\",\".claude\"]},\"cwd\":\"{REPO}\"}", "no command")]
    [InlineData("{\"hook_event_name\":\"preToolUse\",\"tool_input\":{},\"cwd\":\"{REPO}\"}", "no tool_name")]
    public void Input_the_hook_cannot_judge_exits_2_which_cursor_treats_as_a_deny(string payload, string reasonPart)
    {
        foreach (var role in new[] { "planner", "implementer", "observer" })
        {
            var (exit, stdout, stderr) = Run(repository.Expand(payload), role);

            Assert.Equal(HookCommand.BlockingExitCode, exit);
            Assert.Empty(stdout);
            Assert.Contains(reasonPart, stderr);
        }
    }

    /// <summary>A payload in the shape Cursor sends: its common fields, then the event's own.</summary>
    private string Payload(string eventName, string tool, JsonObject input)
    {
        var payload = new JsonObject
        {
            ["conversation_id"] = "668320d2-2fd8-4888-b33c-2a466fec86e7",
            ["generation_id"] = "490b90b7-a2ce-4c2c-bb76-cb77b125df2f",
            ["model"] = "composer-2.5",
            ["hook_event_name"] = eventName,
            ["cursor_version"] = "3.11.25",
            ["workspace_roots"] = new JsonArray("{REPO}"),
            ["user_email"] = "dev@example.com",
            ["transcript_path"] = null,
        };
        if (eventName == "preToolUse")
        {
            payload["tool_name"] = tool;
            payload["tool_input"] = input.DeepClone();
            payload["tool_use_id"] = "toolu_01";
            payload["cwd"] = "{REPO}";
        }
        else
        {
            foreach (var (key, value) in input)
            {
                payload[key] = value?.DeepClone();
            }

            payload["cwd"] = "{REPO}";
        }

        return repository.Expand(payload.ToJsonString());
    }

    private HookRun Run(string stdin, string role) => HookRun.Execute(stdin, role, new HookEnvironment(null, repository.Home), CursorHookFormat.Client);
}
