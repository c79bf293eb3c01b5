using System.Text.Json;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Mcp.Tools;

namespace McpPlanServer.Tests.Mcp;

/// <summary>A tool's parameters are declared once: the published schema and the argument checks both come from them.</summary>
public sealed class ToolContractTests
{
    private static readonly IntegerParameter Step = new("step", 1, PlanLimits.MaxStep) { Required = true };
    private static readonly TextParameter Note = new("note", 5, "A short note");
    private static readonly IReadOnlyList<ToolParameter> Declared = [ToolParameters.PlanId, Step, Note];

    [Theory]
    [InlineData(Actor.Planner)]
    [InlineData(Actor.Implementer)]
    [InlineData(Actor.Observer)]
    public async Task Each_published_schema_names_exactly_the_declared_parameters_and_their_ranges(Actor role)
    {
        await using var server = await InProcessServer.StartAsync(role, cancellationToken: TestContext.Current.CancellationToken);
        var specs = server.Server.ServerOptions.ToolCollection!.OfType<PlanTool>().ToDictionary(tool => tool.Spec.Name, tool => tool.Spec);
        foreach (var tool in await server.Client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken))
        {
            var spec = specs[tool.Name];
            var properties = tool.JsonSchema.GetProperty("properties");
            Assert.Equal(spec.Parameters.Select(parameter => parameter.Name), properties.EnumerateObject().Select(property => property.Name));
            var required = tool.JsonSchema.TryGetProperty("required", out var names) ? names.EnumerateArray().Select(name => name.GetString()).ToList() : [];
            Assert.Equal(spec.Parameters.Where(parameter => parameter.Required).Select(parameter => parameter.Name), required);
            foreach (var integer in spec.Parameters.OfType<IntegerParameter>())
            {
                Assert.Equal(integer.Minimum, properties.GetProperty(integer.Name).GetProperty("minimum").GetInt32());
            }
        }
    }

    [Theory]
    [InlineData(Actor.Planner, "list_plans", "offset")]
    [InlineData(Actor.Planner, "review_implementation", "diff_offset")]
    [InlineData(Actor.Planner, "answer_blocker", "blocker_id")]
    [InlineData(Actor.Implementer, "commit_step", "step")]
    [InlineData(Actor.Implementer, "report_blocker", "step")]
    public async Task The_parameters_an_agent_had_to_guess_are_described_in_the_schema(Actor role, string toolName, string parameter)
    {
        await using var server = await InProcessServer.StartAsync(role, cancellationToken: TestContext.Current.CancellationToken);
        var tool = (await server.Client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken)).Single(candidate => candidate.Name == toolName);

        var description = tool.JsonSchema.GetProperty("properties").GetProperty(parameter).GetProperty("description").GetString();

        Assert.False(string.IsNullOrWhiteSpace(description), $"{toolName}.{parameter} has an empty description.");
    }

    [Fact]
    public async Task The_step_range_is_in_the_schema_and_enforced_from_the_same_declaration()
    {
        await using var server = await InProcessServer.StartAsync(Actor.Implementer, cancellationToken: TestContext.Current.CancellationToken);
        var commitStep = (await server.Client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken)).Single(tool => tool.Name == "commit_step");
        var step = commitStep.JsonSchema.GetProperty("properties").GetProperty("step");
        Assert.Equal(1, step.GetProperty("minimum").GetInt32());
        Assert.Equal(PlanLimits.MaxStep, step.GetProperty("maximum").GetInt32());

        var result = await server.Client.CallToolAsync("commit_step", new Dictionary<string, object?> { ["plan_id"] = "x", ["step"] = PlanLimits.MaxStep + 1, ["message"] = "m" }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.IsError);
        Assert.Contains($"'step' is {PlanLimits.MaxStep + 1}; it must be between 1 and {PlanLimits.MaxStep}", ServerText(result));
    }

    [Theory]
    [InlineData("""{"plan_id":"a","step":1,"role":"owner"}""", "Unknown argument(s): role. This tool takes: plan_id, step, note.")]
    [InlineData("""{"plan_id":"a"}""", "Missing required argument 'step' (an integer 1-10000).")]
    [InlineData("""{"plan_id":"a","step":"1"}""", "'step' must be an integer 1-10000; got string.")]
    [InlineData("""{"plan_id":"a","step":0}""", "'step' is 0; it must be between 1 and 10000.")]
    [InlineData("""{"plan_id":"a","step":1,"note":"too long"}""", "'note' is 8 characters; the limit is 5. Shorten it.")]
    [InlineData("""{"plan_id":7,"step":1}""", "'plan_id' must be a string; got number.")]
    public void Arguments_that_break_the_declaration_are_refused_naming_the_fix(string json, string message)
    {
        var refusal = Assert.Throws<PlanRefusedException>(() => new ToolArguments(Parse(json), Declared));

        Assert.Equal("invalid_argument", refusal.Code);
        Assert.Equal(message, refusal.Message);
    }

    [Fact]
    public void Valid_arguments_are_read_through_their_declarations_only()
    {
        var arguments = new ToolArguments(Parse("""{"plan_id":"a","step":3,"note":null}"""), Declared);

        Assert.Equal("a", arguments.Text(ToolParameters.PlanId));
        Assert.Equal(3, arguments.Integer(Step));
        Assert.Null(arguments.OptionalText(Note));
        Assert.Throws<InvalidOperationException>(() => arguments.Text(Note));
        Assert.Throws<InvalidOperationException>(() => arguments.Integer(Step with { Maximum = 5 }));
        Assert.Throws<InvalidOperationException>(() => arguments.OptionalText(new TextParameter("other", 10)));
    }

    [Fact]
    public void The_schema_is_generated_from_the_declaration()
    {
        var spec = new ToolSpec("t", "T", "d", [Actor.Planner], ReadOnly: true, Destructive: false, Declared, Schemas.PlanState);

        Assert.Equal(
            """{"type":"object","properties":{"plan_id":{"type":"string"},"step":{"type":"integer","minimum":1,"maximum":10000},"note":{"type":"string","description":"A short note"}},"required":["plan_id","step"]}""",
            spec.InputSchema().ToJsonString());
    }

    private static Dictionary<string, JsonElement> Parse(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

    private static string ServerText(ModelContextProtocol.Protocol.CallToolResult result) =>
        string.Join("\n", result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(block => block.Text));
}
