using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlanServer.Core.Lifecycle;
using ModelContextProtocol.Protocol;

namespace McpPlanServer.Mcp.Tools;

/// <summary>
/// The declaration of a tool: name, one-line description, who may use it, its hints, its parameters (from which the
/// input schema and the argument checks are generated) and its output schema (hand-written, short).
/// </summary>
public sealed record ToolSpec(
    string Name,
    string Title,
    string Description,
    IReadOnlyList<Actor> Roles,
    bool ReadOnly,
    bool Destructive,
    IReadOnlyList<ToolParameter> Parameters,
    string OutputSchemaJson)
{
    public JsonObject InputSchema()
    {
        var properties = new JsonObject();
        foreach (var parameter in Parameters)
        {
            properties[parameter.Name] = parameter.Schema();
        }

        var schema = new JsonObject { ["type"] = "object", ["properties"] = properties };
        var required = Parameters.Where(parameter => parameter.Required).Select(parameter => (JsonNode)parameter.Name).ToArray();
        if (required.Length > 0)
        {
            schema["required"] = new JsonArray(required);
        }

        return schema;
    }

    public Tool ToProtocolTool() => new()
    {
        Name = Name,
        Title = Title,
        Description = Description,
        InputSchema = JsonSerializer.SerializeToElement(InputSchema(), McpJsonContext.Default.JsonObject),
        OutputSchema = JsonDocument.Parse(OutputSchemaJson).RootElement.Clone(),
        // Only the hints that differ from the spec's defaults (readOnly false, destructive true, idempotent false,
        // openWorld true): every byte of tools/list is paid in each request's context. destructiveHint means nothing
        // for a read-only tool, so it is left out there.
        Annotations = new ToolAnnotations
        {
            ReadOnlyHint = ReadOnly ? true : null,
            DestructiveHint = ReadOnly || Destructive ? null : false,
            IdempotentHint = ReadOnly ? true : null,
            OpenWorldHint = false,
        },
    };
}
