using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Mcp.Tools;

/// <summary>
/// One argument of a tool, declared once: its name, type, description, range and whether it is required. The tool's
/// input schema and the check of every call's arguments are both generated from the declaration, so they cannot drift.
/// </summary>
public abstract record ToolParameter(string Name, string? Description)
{
    public bool Required { get; init; }

    /// <summary>What a valid value looks like, in the words of a refusal ("an integer 1-10000").</summary>
    public abstract string Expected { get; }

    /// <summary>The JSON schema of the value, kept terse: every byte is paid for in each request's context.</summary>
    public JsonObject Schema()
    {
        var schema = TypeSchema();
        if (Description is not null)
        {
            schema["description"] = Description;
        }

        return schema;
    }

    /// <summary>The validated value, or a refusal that names the argument and what it should be.</summary>
    public abstract object Read(JsonElement value);

    protected abstract JsonObject TypeSchema();

    protected PlanRefusedException WrongType(JsonElement actual) =>
        new(RefusalCodes.InvalidArgument, $"'{Name}' must be {Expected}; got {actual.ValueKind.ToString().ToLower(CultureInfo.InvariantCulture)}.");
}
