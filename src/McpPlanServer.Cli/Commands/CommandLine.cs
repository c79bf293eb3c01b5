namespace McpPlanServer.Cli.Commands;

/// <summary>
/// A parsed command line: positional arguments and <c>--name value</c> / <c>--flag</c> options.
/// Small on purpose: every command declares which options it accepts, and anything else is a usage error.
/// </summary>
public sealed class CommandLine
{
    private readonly Dictionary<string, string?> options = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> repeated = new(StringComparer.Ordinal);

    private CommandLine(string command, List<string> positional)
    {
        Command = command;
        Positional = positional;
    }

    public string Command { get; }

    public IReadOnlyList<string> Positional { get; }

    /// <summary>Parses <paramref name="args"/>; <paramref name="flags"/> are options that take no value.</summary>
    public static CommandLine Parse(IReadOnlyList<string> args, IReadOnlySet<string> valueOptions, IReadOnlySet<string> flags)
    {
        if (args.Count == 0)
        {
            throw new UsageException("No command given.");
        }

        var positional = new List<string>();
        var line = new CommandLine(args[0], positional);
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg == "--")
            {
                positional.Add(arg);
                continue;
            }

            var name = arg[2..];
            string? inlineValue = null;
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                inlineValue = name[(equals + 1)..];
                name = name[..equals];
            }

            if (flags.Contains(name))
            {
                line.options[name] = null;
            }
            else if (valueOptions.Contains(name))
            {
                var value = inlineValue ?? (i + 1 < args.Count ? args[++i] : throw new UsageException($"--{name} needs a value."));
                line.options[name] = value;
                if (!line.repeated.TryGetValue(name, out var values))
                {
                    line.repeated[name] = values = [];
                }

                values.Add(value);
            }
            else
            {
                throw new UsageException($"Unknown option --{name} for '{args[0]}'.");
            }
        }

        return line;
    }

    public bool Has(string name) => options.ContainsKey(name);

    /// <summary>The last value of an option given once or more.</summary>
    public string? Value(string name) => options.TryGetValue(name, out var value) ? value : null;

    /// <summary>Every value of an option that may be repeated (<c>--repo A --repo B</c>), in order.</summary>
    public IReadOnlyList<string> Values(string name) => repeated.TryGetValue(name, out var values) ? values : [];

    public string RequirePositional(int index, string what) =>
        index < Positional.Count ? Positional[index] : throw new UsageException($"'{Command}' needs {what}.");

    public void RequireAtMostPositional(int count)
    {
        if (Positional.Count > count)
        {
            throw new UsageException($"'{Command}' takes at most {count} argument(s); got {Positional.Count}: {string.Join(' ', Positional)}.");
        }
    }
}
