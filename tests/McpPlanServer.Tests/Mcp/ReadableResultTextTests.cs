using System.Text.Json;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Tests.Workflow;
using ModelContextProtocol.Protocol;

namespace McpPlanServer.Tests.Mcp;

/// <summary>What the planner's agent reads: readable result text, and a template that names its own author.</summary>
public sealed class ReadableResultTextTests(ITestOutputHelper output) : InProcessServerTestBase(output)
{
    [Fact]
    public async Task The_plan_template_names_the_planner_session_by_its_client_not_a_hard_coded_author()
    {
        var server = await StartServerAsync(Actor.Planner);
        var client = server.Server.ClientInfo?.Name;
        Assert.False(string.IsNullOrEmpty(client));

        var prompt = await server.Client.GetPromptAsync("plan_template", new Dictionary<string, object?> { ["feature"] = "Export" }, cancellationToken: TestCancellationToken);

        var text = Assert.IsType<TextContentBlock>(Assert.Single(prompt.Messages).Content).Text;
        Assert.Contains($"**Author**: {client} planner session", text);
        Assert.DoesNotContain("Claude Zero", text);
    }

    [Fact]
    public async Task Result_text_keeps_backticks_quotes_and_angle_brackets_readable()
    {
        var server = await StartServerAsync(Actor.Planner);
        var text = WorkflowRepository.PlanText.Replace("Write the value and a check for it.", "Write `a > b` and 'c' & \"d\" — ok.");
        await server.Client.CallToolAsync("write_plan", new Dictionary<string, object?> { ["plan_id"] = "readable", ["text"] = text }, cancellationToken: TestCancellationToken);

        var result = await server.Client.CallToolAsync("read_plan", new Dictionary<string, object?> { ["plan_id"] = "readable" }, cancellationToken: TestCancellationToken);

        var json = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        Assert.NotEqual(true, result.IsError);
        Assert.Contains("Write `a > b` and 'c' & \\\"d\\\" — ok.", json);
        Assert.DoesNotContain("\\u00", json);
        Assert.DoesNotContain("\\u2014", json);
        using var parsed = JsonDocument.Parse(json);
        Assert.Contains("Write `a > b` and 'c' & \"d\" — ok.", parsed.RootElement.GetProperty("text").GetString());
    }
}
