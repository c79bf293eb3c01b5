using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Mcp.Tools;

/// <summary>An array of at most <paramref name="MaxItems"/> strings, each at most <paramref name="MaxItemLength"/> characters.</summary>
public sealed record TextListParameter(string Name, int MaxItems, int MaxItemLength, string? Description = null) : ToolParameter(Name, Description)
{
    public override string Expected => "an array of strings";

    public override object Read(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw WrongType(value);
        }

        if (value.GetArrayLength() > MaxItems)
        {
            throw new PlanRefusedException(RefusalCodes.InvalidArgument, $"'{Name}' has {value.GetArrayLength()} items; the limit is {MaxItems}.");
        }

        var items = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString()!.Length > MaxItemLength)
            {
                throw new PlanRefusedException(RefusalCodes.InvalidArgument, $"Every item of '{Name}' must be a string of at most {MaxItemLength} characters.");
            }

            items.Add(item.GetString()!);
        }

        return items;
    }

    protected override JsonObject TypeSchema() => new() { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } };
}
