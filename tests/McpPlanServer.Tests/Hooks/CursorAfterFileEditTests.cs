using System.Text.Json.Nodes;
using McpPlanServer.Clients.Hooks;
using McpPlanServer.Storage;

namespace McpPlanServer.Tests.Hooks;

/// <summary>
/// <c>mcpplan hook --client cursor</c> on Cursor's observe-only <c>afterFileEdit</c> (cursor.com/docs/agent/hooks:
/// <c>file_path</c> and <c>edits</c> of <c>{old_string, new_string}</c> beside the common fields): the edit already
/// happened, so the hook answers <c>{}</c> and records an edit the role may not make in the plan store
/// (<c>observed-edits.jsonl</c>) for the server to report. Each test has its own repository, so records do not mix.
/// </summary>
public sealed class CursorAfterFileEditTests : IDisposable
{
    private readonly HookRepositoryFixture repository = new();

    public static TheoryData<string, string, string?, string?> Edits => new()
    {
        // role, file_path as Cursor sends it, the path recorded (null: nothing recorded), the place the server will name
        { "implementer", "{REPO}/.claude/plans/Active/p.md", ".claude/plans/Active/p.md", "the plans folder" },
        { "implementer", "{REPO}/.cursor/hooks.json", ".cursor/hooks.json", "client settings" },
        { "implementer", "{REPO}/.mcp.json", ".mcp.json", "client settings" },
        { "implementer", "notes/p.md", "notes/p.md", null }, // a link into the plans folder, relative to the workspace root
        { "implementer", "{REPO}/src/app.cs", null, null },
        { "planner", "{REPO}/src/app.cs", "src/app.cs", null },
        { "planner", "{REPO}/.claude/plans/Review/p.md", ".claude/plans/Review/p.md", "the plans folder" }, // plans change only through write_plan
        { "observer", "{REPO}/src/app.cs", "src/app.cs", null },
    };

    [Theory]
    [MemberData(nameof(Edits))]
    public void An_edit_the_role_may_not_make_is_recorded_and_cursor_gets_an_empty_answer(string role, string filePath, string? recorded, string? place)
    {
        var (exit, stdout, stderr) = Run(Payload(filePath), role);

        Assert.True(exit == 0, stderr);
        Assert.Empty(JsonNode.Parse(stdout)!.AsObject()); // nothing to allow or deny: the edit happened
        var edits = Recorded();
        if (recorded is null)
        {
            Assert.Empty(edits);
            return;
        }

        var edit = Assert.Single(edits);
        Assert.Equal(recorded, edit.Path);
        Assert.Equal("cursor", edit.Client);
        Assert.Equal(role, edit.Role);
        Assert.True(DateTimeOffset.UtcNow - edit.At < TimeSpan.FromMinutes(5));
        if (place is not null)
        {
            Assert.Equal(place, Core.Workflow.GuardedEdits.Place(edit.Path, ".claude/plans"));
        }
    }

    [Fact]
    public void Edits_accumulate_in_order()
    {
        Run(Payload("{REPO}/.claude/plans/Active/p.md"), "implementer");
        Run(Payload("{REPO}/.mcp.json"), "implementer");

        Assert.Equal([".claude/plans/Active/p.md", ".mcp.json"], Recorded().Select(edit => edit.Path));
    }

    [Theory]
    [InlineData("""{"hook_event_name":"afterFileEdit","edits":[],"workspace_roots":["{REPO}"]}""", "no file_path")]
    [InlineData("""{"hook_event_name":"afterFileEdit","file_path":["{REPO}/.mcp.json"],"workspace_roots":["{REPO}"]}""", "no file_path")]
    [InlineData("""{"hook_event_name":"afterFileEdit","file_path":"{REPO}/.mcp.json"}""", "no absolute cwd or workspace_roots")]
    [InlineData("""{"hook_event_name":"afterFileEdit","file_path":"{REPO}/.mcp.json","workspace_roots":["relative"]}""", "no absolute cwd")]
    [InlineData("""["afterFileEdit"]""", "JSON object")]
    public void A_payload_the_hook_cannot_read_exits_2_and_records_nothing(string payload, string reasonPart)
    {
        var (exit, stdout, stderr) = Run(repository.Expand(payload), "implementer");

        Assert.Equal(HookCommand.BlockingExitCode, exit);
        Assert.Empty(stdout);
        Assert.Contains(reasonPart, stderr);
        Assert.Empty(Recorded());
    }

    public void Dispose() => repository.Dispose();

    /// <summary>Cursor's documented afterFileEdit payload: the common fields, the file, and the edits made.</summary>
    private string Payload(string filePath) => repository.Expand(new JsonObject
    {
        ["conversation_id"] = "668320d2-2fd8-4888-b33c-2a466fec86e7",
        ["generation_id"] = "490b90b7-a2ce-4c2c-bb76-cb77b125df2f",
        ["hook_event_name"] = "afterFileEdit",
        ["workspace_roots"] = new JsonArray("{REPO}"),
        ["file_path"] = filePath,
        ["edits"] = new JsonArray(new JsonObject { ["old_string"] = "- [ ] step 1", ["new_string"] = "- [x] step 1" }),
    }.ToJsonString());

    private IReadOnlyList<Core.Evidence.ObservedEdit> Recorded()
    {
        var path = Path.Join(repository.Repo, ".claude", "plans", ObservedEditFile.FileName);
        return File.Exists(path) ? ObservedEditFile.Parse(File.ReadAllBytes(path)) : [];
    }

    private HookRun Run(string stdin, string role) => HookRun.Execute(stdin, role, new HookEnvironment(null, repository.Home), CursorHookFormat.Client);
}
