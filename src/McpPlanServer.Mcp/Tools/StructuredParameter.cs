using System.Text.Json;
using System.Text.Json.Nodes;

namespace McpPlanServer.Mcp.Tools;

/// <summary>
/// An object or array argument whose shape the schema spells out (a review's scores, findings, criteria answers).
/// Here only its JSON kind is checked; the tool reads the items with the limits of <see cref="Core.Workflow.PlanLimits"/>.
/// </summary>
public sealed record StructuredParameter(string Name, JsonObject Shape, string Expectation, string? Description = null) : ToolParameter(Name, Description)
{
    public override string Expected => Expectation;

    private JsonValueKind Kind => Shape["type"]?.GetValue<string>() == "array" ? JsonValueKind.Array : JsonValueKind.Object;

    public override object Read(JsonElement value) => value.ValueKind == Kind ? value.Clone() : throw WrongType(value);

    protected override JsonObject TypeSchema() => (JsonObject)Shape.DeepClone();
}
