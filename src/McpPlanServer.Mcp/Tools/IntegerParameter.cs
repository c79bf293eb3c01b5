using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Mcp.Tools;

/// <summary>
/// An integer argument between <paramref name="Minimum"/> and <paramref name="Maximum"/>, with the value an absent
/// optional argument takes. The schema states the range; an open upper end (int.MaxValue) is left out to save bytes.
/// </summary>
public sealed record IntegerParameter(string Name, int Minimum, int Maximum, string? Description = null) : ToolParameter(Name, Description)
{
    public int? Default { get; init; }

    public override string Expected => Maximum == int.MaxValue ? $"an integer of at least {Minimum}" : $"an integer {Minimum}-{Maximum}";

    public override object Read(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            throw WrongType(value);
        }

        return number >= Minimum && number <= Maximum
            ? (int)number
            : throw new PlanRefusedException(RefusalCodes.InvalidArgument, $"'{Name}' is {number}; it must be {(Maximum == int.MaxValue ? $"at least {Minimum}" : $"between {Minimum} and {Maximum}")}.");
    }

    protected override JsonObject TypeSchema()
    {
        var schema = new JsonObject { ["type"] = "integer", ["minimum"] = Minimum };
        if (Maximum != int.MaxValue)
        {
            schema["maximum"] = Maximum;
        }

        if (Default is { } value)
        {
            schema["default"] = value;
        }

        return schema;
    }
}
