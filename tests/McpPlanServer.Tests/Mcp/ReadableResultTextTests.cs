using System.Text.Json;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Tests.Workflow;
using ModelContextProtocol.Protocol;

namespace McpPlanServer.Tests.Mcp;

/// <summary>The text an agent reads in a tool result is JSON without HTML-safe escapes, and still parses.</summary>
public sealed class ReadableResultTextTests
{
    [Fact]
    public async Task Result_text_keeps_backticks_quotes_and_angle_brackets_readable()
    {
        await using var server = await InProcessServer.StartAsync(Actor.Planner);
        var text = WorkflowRepository.PlanText.Replace("Write the value and a check for it.", "Write `a > b` and 'c' & \"d\" — ok.");
        await server.Client.CallToolAsync("write_plan", new Dictionary<string, object?> { ["plan_id"] = "readable", ["text"] = text });

        var result = await server.Client.CallToolAsync("read_plan", new Dictionary<string, object?> { ["plan_id"] = "readable" });

        var json = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        Assert.NotEqual(true, result.IsError);
        Assert.Contains("Write `a > b` and 'c' & \\\"d\\\" — ok.", json);
        Assert.DoesNotContain("\\u00", json);
        Assert.DoesNotContain("\\u2014", json);
        using var parsed = JsonDocument.Parse(json);
        Assert.Contains("Write `a > b` and 'c' & \"d\" — ok.", parsed.RootElement.GetProperty("text").GetString());
    }
}
