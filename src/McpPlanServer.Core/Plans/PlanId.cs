using System.Diagnostics.CodeAnalysis;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Core.Plans;

/// <summary>
/// A plan's id: a short lowercase slug such as <c>auth-jwt</c>. It becomes a file name, so it is validated
/// before any file system call: only <c>a-z</c>, <c>0-9</c> and single inner hyphens, 1–64 characters.
/// The narrow alphabet rules out paths, dots, control characters, Unicode twins and case twins at once;
/// device names are refused because Windows reserves them in every folder.
/// </summary>
public readonly record struct PlanId
{
    public const int MaxLength = 64;

    private static readonly HashSet<string> ReservedNames = new(StringComparer.Ordinal)
    {
        "con", "prn", "aux", "nul",
        "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
        "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
    };

    private PlanId(string value) => Value = value;

    public string Value { get; }

    public override string ToString() => Value;

    /// <summary>Parses an id or refuses with a message that says what a valid id looks like.</summary>
    public static PlanId Parse(string? value) =>
        TryParse(value, out var id, out var error) ? id : throw new PlanRefusedException(RefusalCodes.InvalidPlanId, error);

    public static bool TryParse(string? value, out PlanId id, [NotNullWhen(false)] out string? error)
    {
        id = default;
        error = Validate(value);
        if (error is not null)
        {
            return false;
        }

        id = new PlanId(value!);
        return true;
    }

    private static string? Validate(string? value)
    {
        const string Rule = "Use 1-64 characters of a-z, 0-9 and single hyphens, starting with a letter or digit (for example auth-jwt).";
        if (string.IsNullOrEmpty(value))
        {
            return $"The plan id is empty. {Rule}";
        }

        if (value.Length > MaxLength)
        {
            return $"The plan id is {value.Length} characters long; the limit is {MaxLength}. {Rule}";
        }

        foreach (var c in value)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                return $"The plan id '{Printable(value)}' contains {Describe(c)}. {Rule}";
            }
        }

        if (value[0] == '-' || value[^1] == '-' || value.Contains("--", StringComparison.Ordinal))
        {
            return $"The plan id '{value}' has a leading, trailing or doubled hyphen. {Rule}";
        }

        if (ReservedNames.Contains(value))
        {
            return $"The plan id '{value}' is a reserved device name on Windows. Choose another id, for example '{value}-plan'.";
        }

        return null;
    }

    private static string Describe(char c) => c switch
    {
        '/' or '\\' => "a path separator",
        '.' => "a dot",
        ' ' => "a space",
        _ when char.IsControl(c) => $"a control character (U+{(int)c:X4})",
        _ when c > 127 => $"a non-ASCII character (U+{(int)c:X4})",
        _ when char.IsUpper(c) => "an upper-case letter",
        _ => $"the character '{c}'",
    };

    /// <summary>Echoes a rejected id back safely: control characters shown as escapes, long ids cut.</summary>
    private static string Printable(string value)
    {
        var cut = value.Length > 80 ? value[..80] + "…" : value;
        var builder = new System.Text.StringBuilder(cut.Length);
        foreach (var c in cut)
        {
            builder.Append(char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString());
        }

        return builder.ToString();
    }
}
