using System.Text.Json;
using System.Text.Json.Nodes;

namespace McpPlanServer.Mcp.Tools;

/// <summary>A true/false argument; absent means false.</summary>
public sealed record FlagParameter(string Name, string? Description = null) : ToolParameter(Name, Description)
{
    public override string Expected => "true or false";

    public override object Read(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw WrongType(value),
    };

    protected override JsonObject TypeSchema() => new() { ["type"] = "boolean" };
}
