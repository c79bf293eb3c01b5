using System.Text.Json;
using McpPlanServer.EndToEnd.Support;

namespace McpPlanServer.EndToEnd;

/// <summary>The server driven by the official TypeScript SDK client (pinned in tests/interop), which also validates
/// every structured result against the tool's output schema.</summary>
public sealed class InteropTests
{
    [Fact]
    public async Task The_typescript_sdk_client_lists_calls_and_reads_prompts()
    {
        var npmError = await NodePackages.EnsureInstalledAsync();
        Assert.True(npmError is null, npmError);
        using var repository = await TestRepository.CreateAsync();

        var run = await ProcessRunner.RunAsync(
            "node",
            [Path.Combine(NodePackages.Folder, "client.mjs"), Executable.Path, repository.Root, "planner"],
            repository.Root,
            new Dictionary<string, string?> { ["PLAN_TEXT"] = SamplePlans.Greeting() });
        Assert.True(run.ExitCode == 0, run.ToString());
        using var report = JsonDocument.Parse(run.Output);
        var root = report.RootElement;

        Assert.Equal("mcpplan", root.GetProperty("server").GetProperty("name").GetString());
        Assert.Contains("PLANNER", root.GetProperty("instructions").GetString());
        Assert.Contains("write_plan", root.GetProperty("tools").EnumerateArray().Select(tool => tool.GetString()));
        Assert.False(root.GetProperty("write").TryGetProperty("isError", out var writeError) && writeError.GetBoolean());
        Assert.Equal("interop", root.GetProperty("write").GetProperty("structuredContent").GetProperty("id").GetString());
        Assert.True(root.GetProperty("hostile").GetProperty("isError").GetBoolean());
        Assert.Contains("invalid_plan_id", root.GetProperty("hostile").GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("awaiting_approval", root.GetProperty("read").GetProperty("structuredContent").GetProperty("status").GetString());
        Assert.Equal(["plan_template", "planner_brief", "review_checklist"], root.GetProperty("prompts").EnumerateArray().Select(prompt => prompt.GetString()!).ToArray());
        Assert.Contains("# Plan: Interop", root.GetProperty("template").GetProperty("messages")[0].GetProperty("content").GetProperty("text").GetString());
        Assert.Equal(["plan://{id}"], root.GetProperty("resourceTemplates").EnumerateArray().Select(uri => uri.GetString()!).ToArray());
        Assert.True(File.Exists(Path.Combine(repository.PlansRoot, "Review", "interop.md")));
        Assert.False(File.Exists(Path.Combine(repository.Root, "..", "..", "etc", "passwd.md")));
    }
}
