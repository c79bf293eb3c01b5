using System.Globalization;
using System.Text.Json;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Mcp.Tools;

/// <summary>
/// Typed, validated access to a tool call's arguments. Wrong types, missing or oversized values and unknown
/// names are refused with a message that names the argument and what it should be; nothing is coerced silently.
/// </summary>
public sealed class ToolArguments
{
    private readonly IReadOnlyDictionary<string, JsonElement> values;

    public ToolArguments(IDictionary<string, JsonElement>? arguments, IReadOnlyCollection<string> accepted)
    {
        values = arguments is null ? new Dictionary<string, JsonElement>() : new Dictionary<string, JsonElement>(arguments);
        var unknown = values.Keys.Where(name => !accepted.Contains(name)).ToList();
        if (unknown.Count > 0)
        {
            throw new PlanRefusedException(
                "invalid_argument",
                $"Unknown argument(s): {string.Join(", ", unknown.Select(Printable))}. This tool takes: {(accepted.Count == 0 ? "no arguments" : string.Join(", ", accepted))}.");
        }
    }

    public string RequiredString(string name, int maxLength) =>
        OptionalString(name, maxLength) ?? throw Missing(name, "a string");

    public string? OptionalString(string name, int maxLength)
    {
        if (!Present(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw WrongType(name, "a string", value);
        }

        var text = value.GetString()!;
        if (text.Length > maxLength)
        {
            throw new PlanRefusedException("invalid_argument", $"'{name}' is {text.Length} characters; the limit is {maxLength}. Shorten it.");
        }

        return text;
    }

    public int RequiredInt(string name, int min, int max) => OptionalInt(name, min, max) ?? throw Missing(name, $"an integer {min}-{max}");

    public int? OptionalInt(string name, int min, int max)
    {
        if (!Present(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            throw WrongType(name, $"an integer {min}-{max}", value);
        }

        if (number < min || number > max)
        {
            throw new PlanRefusedException("invalid_argument", $"'{name}' is {number}; it must be between {min} and {max}.");
        }

        return (int)number;
    }

    public bool? OptionalBool(string name)
    {
        if (!Present(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw WrongType(name, "true or false", value),
        };
    }

    public IReadOnlyList<string>? OptionalStringList(string name, int maxItems, int maxLength)
    {
        if (!Present(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw WrongType(name, "an array of strings", value);
        }

        if (value.GetArrayLength() > maxItems)
        {
            throw new PlanRefusedException("invalid_argument", $"'{name}' has {value.GetArrayLength()} items; the limit is {maxItems}.");
        }

        var items = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString()!.Length > maxLength)
            {
                throw new PlanRefusedException("invalid_argument", $"Every item of '{name}' must be a string of at most {maxLength} characters.");
            }

            items.Add(item.GetString()!);
        }

        return items;
    }

    public JsonElement RequiredElement(string name, JsonValueKind kind, string expected)
    {
        if (!Present(name, out var value))
        {
            throw Missing(name, expected);
        }

        return value.ValueKind == kind ? value : throw WrongType(name, expected, value);
    }

    public JsonElement? OptionalElement(string name, JsonValueKind kind, string expected)
    {
        if (!Present(name, out var value))
        {
            return null;
        }

        return value.ValueKind == kind ? value : throw WrongType(name, expected, value);
    }

    private bool Present(string name, out JsonElement value) =>
        values.TryGetValue(name, out value) && value.ValueKind != JsonValueKind.Null;

    private static PlanRefusedException Missing(string name, string expected) =>
        new("invalid_argument", $"Missing required argument '{name}' ({expected}).");

    private static PlanRefusedException WrongType(string name, string expected, JsonElement actual) =>
        new("invalid_argument", $"'{name}' must be {expected}; got {actual.ValueKind.ToString().ToLower(CultureInfo.InvariantCulture)}.");

    private static string Printable(string name) => name.Length > 40 ? name[..40] + "…" : name;
}
