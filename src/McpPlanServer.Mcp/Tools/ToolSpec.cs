using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlanServer.Core.Lifecycle;
using ModelContextProtocol.Protocol;

namespace McpPlanServer.Mcp.Tools;

/// <summary>
/// The declaration of a tool: name, one-line description, who may use it, its hints, and JSON schemas.
/// Schemas are written by hand, not generated, to keep them short and exact.
/// </summary>
public sealed record ToolSpec(
    string Name,
    string Title,
    string Description,
    IReadOnlyList<Actor> Roles,
    bool ReadOnly,
    bool Destructive,
    string InputSchemaJson,
    string OutputSchemaJson)
{
    public IReadOnlyList<string> ArgumentNames()
    {
        var schema = JsonNode.Parse(InputSchemaJson)!.AsObject();
        return schema["properties"] is JsonObject properties ? properties.Select(pair => pair.Key).ToList() : [];
    }

    public Tool ToProtocolTool() => new()
    {
        Name = Name,
        Title = Title,
        Description = Description,
        InputSchema = JsonDocument.Parse(InputSchemaJson).RootElement.Clone(),
        OutputSchema = JsonDocument.Parse(OutputSchemaJson).RootElement.Clone(),
        Annotations = new ToolAnnotations
        {
            ReadOnlyHint = ReadOnly,
            DestructiveHint = Destructive,
            IdempotentHint = ReadOnly,
            OpenWorldHint = false,
        },
    };
}
