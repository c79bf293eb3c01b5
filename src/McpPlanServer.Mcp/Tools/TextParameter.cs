using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Mcp.Tools;

/// <summary>A string argument of at most <paramref name="MaxLength"/> characters.</summary>
public sealed record TextParameter(string Name, int MaxLength, string? Description = null) : ToolParameter(Name, Description)
{
    public override string Expected => "a string";

    public override object Read(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw WrongType(value);
        }

        var text = value.GetString()!;
        return text.Length <= MaxLength
            ? text
            : throw new PlanRefusedException(RefusalCodes.InvalidArgument, $"'{Name}' is {text.Length} characters; the limit is {MaxLength}. Shorten it.");
    }

    protected override JsonObject TypeSchema() => new() { ["type"] = "string" };
}
