using System.Text.Json;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Mcp.Tools;

/// <summary>
/// A tool call's arguments, checked against the tool's declared parameters before the handler runs: unknown names,
/// missing required ones, wrong types and values out of range are refused with a message that names the argument and
/// what it should be; nothing is coerced silently. Handlers read values only through the parameters the tool declared.
/// </summary>
public sealed class ToolArguments
{
    private readonly Dictionary<string, ToolParameter> declared;
    private readonly Dictionary<string, object> values = new(StringComparer.Ordinal);

    public ToolArguments(IDictionary<string, JsonElement>? arguments, IReadOnlyList<ToolParameter> parameters)
    {
        declared = parameters.ToDictionary(parameter => parameter.Name, StringComparer.Ordinal);
        var given = arguments ?? new Dictionary<string, JsonElement>();
        var unknown = given.Keys.Where(name => !declared.ContainsKey(name)).ToList();
        if (unknown.Count > 0)
        {
            throw new PlanRefusedException(
                RefusalCodes.InvalidArgument,
                $"Unknown argument(s): {string.Join(", ", unknown.Select(Printable))}. This tool takes: {(parameters.Count == 0 ? "no arguments" : string.Join(", ", parameters.Select(parameter => parameter.Name)))}.");
        }

        foreach (var parameter in parameters)
        {
            if (given.TryGetValue(parameter.Name, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                values[parameter.Name] = parameter.Read(value);
            }
            else if (parameter.Required)
            {
                throw new PlanRefusedException(RefusalCodes.InvalidArgument, $"Missing required argument '{parameter.Name}' ({parameter.Expected}).");
            }
        }
    }

    public string Text(TextParameter parameter) => (string)Value(parameter);

    public string? OptionalText(TextParameter parameter) => (string?)Find(parameter);

    public string? OptionalChoice(ChoiceParameter parameter) => (string?)Find(parameter);

    /// <summary>The value, or the declared default when the argument is absent.</summary>
    public int Integer(IntegerParameter parameter) => (int?)Find(parameter) ?? parameter.Default ?? (int)Value(parameter);

    public int? OptionalInteger(IntegerParameter parameter) => (int?)Find(parameter);

    public bool Flag(FlagParameter parameter) => (bool?)Find(parameter) ?? false;

    public IReadOnlyList<string>? OptionalTexts(TextListParameter parameter) => (IReadOnlyList<string>?)Find(parameter);

    public JsonElement Element(StructuredParameter parameter) => (JsonElement)Value(parameter);

    public JsonElement? OptionalElement(StructuredParameter parameter) => (JsonElement?)Find(parameter);

    private object Value(ToolParameter parameter) =>
        Find(parameter) ?? throw new InvalidOperationException($"'{parameter.Name}' is optional and was not given: read it with its Optional accessor or declare it Required.");

    /// <summary>A handler may read only what its tool declared, with the same limits, so the schema is the whole contract.</summary>
    private object? Find(ToolParameter parameter) =>
        declared.TryGetValue(parameter.Name, out var declaration) && declaration == parameter
            ? values.GetValueOrDefault(parameter.Name)
            : throw new InvalidOperationException($"'{parameter.Name}' is not declared this way by the tool: add it to the tool's parameters.");

    private static string Printable(string name) => name.Length > 40 ? name[..40] + "…" : name;
}
