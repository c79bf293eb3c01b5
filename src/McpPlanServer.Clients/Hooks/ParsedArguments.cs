namespace McpPlanServer.Clients.Hooks;

/// <summary>
/// getopt-style split of a command's arguments into options and operands, given which options take a value.
/// Short clusters (<c>-rf</c>), attached values (<c>-tdir</c>, <c>--target-directory=dir</c>) and <c>--</c> are understood.
/// </summary>
internal sealed class ParsedArguments
{
    private readonly List<(string Name, ShellWord? Value)> _options = [];

    private ParsedArguments()
    {
    }

    public List<ShellWord> Operands { get; } = [];

    /// <param name="shortWithValue">Letters of the short options that take a value, such as "tS" for cp.</param>
    /// <param name="longWithValue">Long options (with dashes) that take a value when not written with <c>=</c>.</param>
    public static ParsedArguments Parse(IReadOnlyList<ShellWord> arguments, string shortWithValue = "", params string[] longWithValue)
    {
        var parsed = new ParsedArguments();
        var onlyOperands = false;
        for (var i = 0; i < arguments.Count; i++)
        {
            var word = arguments[i];
            var text = word.Text;
            if (onlyOperands || text.Length < 2 || text[0] != '-' || word.IsUnresolved)
            {
                parsed.Operands.Add(word);
            }
            else if (text == "--")
            {
                onlyOperands = true;
            }
            else if (text.StartsWith("--", StringComparison.Ordinal))
            {
                var equals = text.IndexOf('=');
                if (equals > 0)
                {
                    parsed._options.Add((text[..equals], new ShellWord(text[(equals + 1)..])));
                }
                else if (longWithValue.Contains(text) && i + 1 < arguments.Count)
                {
                    parsed._options.Add((text, arguments[++i]));
                }
                else
                {
                    parsed._options.Add((text, null));
                }
            }
            else
            {
                for (var j = 1; j < text.Length; j++)
                {
                    var name = "-" + text[j];
                    if (!shortWithValue.Contains(text[j]))
                    {
                        parsed._options.Add((name, null));
                        continue;
                    }

                    var attached = text[(j + 1)..];
                    var value = attached.Length > 0 ? new ShellWord(attached) : i + 1 < arguments.Count ? arguments[++i] : null;
                    parsed._options.Add((name, value));
                    break;
                }
            }
        }

        return parsed;
    }

    public bool Has(params string[] names) => _options.Exists(option => names.Contains(option.Name));

    public ShellWord? Value(params string[] names) => _options.FindLast(option => names.Contains(option.Name)).Value;
}
