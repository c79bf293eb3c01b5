using System.Text.Json.Nodes;
using McpPlanServer.EndToEnd.Support;

namespace McpPlanServer.EndToEnd;

/// <summary>
/// Issue 13 item 2, black-box: Cursor's observe-only afterFileEdit hook, run exactly as <c>mcpplan init --client cursor</c>
/// registered it (through the shell, the implementer's role in the environment), on Cursor's payload for an edit of the
/// approved plan; the implementer's server then reports the edit at its next read_active_plan.
/// </summary>
public sealed class CursorAfterFileEditTests
{
    [Fact]
    public async Task An_edit_the_after_file_edit_hook_saw_is_reported_at_the_next_read_active_plan()
    {
        using var repository = await TestRepository.CreateAsync();
        var init = await ProcessRunner.RunAsync(Executable.Path, ["init", "--client", "cursor", "--allow-machine-path", "--repo", repository.Root], repository.Root);
        Assert.True(init.ExitCode == 0, init.ToString());
        await using (var planner = await ServerSession.StartAsync(repository, "planner"))
        {
            await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        }

        var approve = await repository.ApproveAsync("greeting", "--by", "Ada");
        Assert.True(approve.ExitCode == 0, approve.ToString());
        await using var implementer = await ServerSession.StartAsync(repository, "implementer");
        Assert.False((await implementer.CallOkAsync("read_active_plan")).TryGetProperty("edits_seen_after_the_fact", out _));

        var hooks = JsonNode.Parse(File.ReadAllText(Path.Combine(repository.Root, ".cursor", "hooks.json")))!;
        var command = hooks["hooks"]!["afterFileEdit"]![0]!["command"]!.GetValue<string>();
        var payload = new JsonObject
        {
            ["conversation_id"] = "c", ["generation_id"] = "g", ["hook_event_name"] = "afterFileEdit",
            ["workspace_roots"] = new JsonArray(repository.Root),
            ["file_path"] = Path.Combine(repository.PlansRoot, "Active", "greeting.md"),
            ["edits"] = new JsonArray(new JsonObject { ["old_string"] = "- [ ]", ["new_string"] = "- [x]" }),
        };
        var hook = await ProcessRunner.RunAsync("/bin/sh", ["-c", command], repository.Root, new Dictionary<string, string?> { ["MCPPLAN_ROLE"] = "implementer" }, payload.ToJsonString());
        Assert.True(hook.ExitCode == 0, hook.ToString());
        Assert.Equal("{}", hook.Output.Trim());

        var active = await implementer.CallOkAsync("read_active_plan");
        var seen = active.GetProperty("edits_seen_after_the_fact").EnumerateArray().Select(edit => edit.GetString()!).ToList();
        var report = Assert.Single(seen);
        Assert.StartsWith(".claude/plans/Active/greeting.md (the plans folder) was edited in cursor by a session with role implementer", report);
    }
}
