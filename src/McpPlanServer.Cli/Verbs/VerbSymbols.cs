using System.CommandLine;

namespace McpPlanServer.Cli.Verbs;

/// <summary>The options and arguments several commands share, declared once so their names and help read the same everywhere.</summary>
internal static class VerbSymbols
{
    /// <summary><c>--repo DIR</c>: the repository (default: the enclosing git repository).</summary>
    public static Option<string> Repo(Command command)
    {
        var option = new Option<string>("--repo") { Description = "The repository (default: the enclosing git repository).", HelpName = "DIR" };
        command.Options.Add(option);
        return option;
    }

    /// <summary>A named option that takes one text value.</summary>
    public static Option<string> Text(Command command, string name, string helpName, string description)
    {
        var option = new Option<string>(name) { Description = description, HelpName = helpName };
        command.Options.Add(option);
        return option;
    }

    /// <summary>A flag: present or not.</summary>
    public static Option<bool> Flag(Command command, string name, string description)
    {
        var option = new Option<bool>(name) { Description = description };
        command.Options.Add(option);
        return option;
    }

    /// <summary>
    /// A positional argument the command needs; missing, it is a usage error saying <c>'show' needs a plan id.</c> (the
    /// message the person saw before the parser was System.CommandLine).
    /// </summary>
    public static Argument<string> Required(Command command, string helpName, string what)
    {
        var argument = Optional(command, helpName, what);
        command.Validators.Add(result =>
        {
            if (result.GetValue(argument) is null)
            {
                result.AddError($"'{command.Name}' needs {what}.");
            }
        });
        return argument;
    }

    /// <summary>A positional argument the command may take; a word starting with <c>--</c> is an option, never its value.</summary>
    public static Argument<string> Optional(Command command, string helpName, string what)
    {
        var argument = new Argument<string>(helpName) { Description = char.ToUpperInvariant(what[0]) + what[1..] + ".", Arity = ArgumentArity.ZeroOrOne };
        argument.Validators.Add(result =>
        {
            // System.CommandLine hands an unknown option to a free positional argument; the person meant an option.
            foreach (var token in result.Tokens.Where(token => token.Value.StartsWith("--", StringComparison.Ordinal) && token.Value.Length > 2))
            {
                result.AddError($"Unrecognized option '{token.Value}' for '{command.Name}'.");
            }
        });
        command.Arguments.Add(argument);
        return argument;
    }
}
