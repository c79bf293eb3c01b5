using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Mcp.Tools;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol;

namespace McpPlanServer.Tests.Mcp;

/// <summary>
/// The second layer of enforcement: even a tool registered on the wrong role's server by mistake is neither listed
/// nor callable, because the filters check each tool's roles again.
/// </summary>
public sealed class RoleEnforcementTests(ITestOutputHelper output) : InProcessServerTestBase(output)
{
    [Fact]
    public async Task A_foreign_tool_registered_by_mistake_is_hidden_and_refused()
    {
        var server = await StartServerAsync(
            Actor.Planner,
            toolsFor: workflow => ImplementerTools.Create(new ToolContext(workflow, Actor.Planner, NullLogger.Instance)).Where(tool => tool.Spec.Name == "report_blocker"));

        var registered = server.Server.ServerOptions.ToolCollection!.Select(tool => tool.ProtocolTool.Name).ToList();
        Assert.Contains("report_blocker", registered);

        var listed = (await server.Client.ListToolsAsync(cancellationToken: TestCancellationToken)).Select(tool => tool.Name).ToList();
        Assert.DoesNotContain("report_blocker", listed);
        Assert.Contains("write_plan", listed);

        var refusal = await Assert.ThrowsAsync<McpProtocolException>(() =>
            server.Client.CallToolAsync("report_blocker", new Dictionary<string, object?> { ["plan_id"] = "x", ["question"] = "q" }, cancellationToken: TestCancellationToken).AsTask());
        Assert.Contains("implementer", refusal.Message);
        Assert.Contains("runs as the planner", refusal.Message);

        var journal = server.Workflow.ReadJournal(null);
        var entry = Assert.Single(journal);
        Assert.Equal("refused", entry.Outcome);
        Assert.Equal("planner", entry.Actor);
        Assert.Equal("report_blocker", entry.Action);
        Assert.NotNull(entry.ArgumentsDigest);
    }

    [Theory]
    [InlineData(Actor.Planner)]
    [InlineData(Actor.Implementer)]
    [InlineData(Actor.Observer)]
    public async Task No_tool_takes_a_role_a_user_or_an_approval(Actor role)
    {
        var server = await StartServerAsync(role);
        foreach (var tool in await server.Client.ListToolsAsync(cancellationToken: TestCancellationToken))
        {
            var schema = tool.JsonSchema.GetRawText();
            foreach (var forbidden in new[] { "\"role\"", "\"user\"", "\"approver\"", "\"approved\"", "\"approval\"", "\"actor\"" })
            {
                Assert.DoesNotContain(forbidden, schema);
            }
        }
    }

    [Theory]
    [InlineData(Actor.Planner)]
    [InlineData(Actor.Implementer)]
    [InlineData(Actor.Observer)]
    public async Task Every_listed_tool_is_annotated_and_has_an_output_schema(Actor role)
    {
        var server = await StartServerAsync(role);
        foreach (var tool in await server.Client.ListToolsAsync(cancellationToken: TestCancellationToken))
        {
            // Hints are sent only where they differ from the spec's defaults (readOnly false, destructive true,
            // idempotent false, openWorld true): every tool is closed-world, and a tool that writes says it does not destroy.
            var annotations = tool.ProtocolTool.Annotations;
            Assert.NotNull(annotations);
            Assert.False(annotations.OpenWorldHint);
            Assert.True(annotations.ReadOnlyHint == true || annotations.DestructiveHint == false, $"{tool.Name}: neither read-only nor non-destructive");
            Assert.True(annotations.ReadOnlyHint != false && annotations.IdempotentHint != false, $"{tool.Name}: a default-valued hint was sent");
            Assert.NotNull(tool.ProtocolTool.OutputSchema);
            Assert.DoesNotContain('\n', tool.Description);
        }
    }
}
