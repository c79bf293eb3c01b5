using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Mcp.Tools;

/// <summary>A string argument that must be one of <paramref name="Choices"/> (any case; the declared spelling is returned).</summary>
public sealed record ChoiceParameter(string Name, IReadOnlyList<string> Choices, string? Description = null) : ToolParameter(Name, Description)
{
    public override string Expected => $"one of {string.Join(", ", Choices)}";

    public override object Read(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw WrongType(value);
        }

        var text = value.GetString()!;
        return Choices.FirstOrDefault(choice => string.Equals(choice, text, StringComparison.OrdinalIgnoreCase))
            ?? throw new PlanRefusedException(RefusalCodes.InvalidArgument, $"'{Name}' must be {Expected}; got '{(text.Length > 40 ? text[..40] + "…" : text)}'.");
    }

    protected override JsonObject TypeSchema() => new() { ["type"] = "string", ["enum"] = new JsonArray([.. Choices.Select(choice => (JsonNode)choice)]) };
}
