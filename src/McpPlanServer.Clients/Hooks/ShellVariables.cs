using McpPlanServer.Core.Security;

namespace McpPlanServer.Clients.Hooks;

/// <summary>
/// Assignments and the builtins that set, export or remove variables: a session marker among them is removed or
/// overwritten, and <c>GIT_CONFIG*</c> can define a git alias the hook cannot name.
/// </summary>
internal static class ShellVariables
{
    private static readonly HashSet<string> Builtins = ["unset", "export", "declare", "typeset", "local", "readonly"];

    public static bool IsBuiltin(string name) => Builtins.Contains(name);

    public static bool IsAssignment(string text)
    {
        var equals = text.IndexOf('=');
        if (equals <= 0 || !(char.IsAsciiLetter(text[0]) || text[0] == '_'))
        {
            return false;
        }

        var name = text.AsSpan(0, text[equals - 1] == '+' ? equals - 1 : equals);
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>unset VAR</c>, <c>export -n VAR</c>, <c>export VAR=…</c>, <c>declare VAR=…</c>: a marker among the operands is removed or overwritten.</summary>
    public static void AnalyzeBuiltin(string builtin, List<ShellWord> arguments, List<BashEffect> effects)
    {
        var removes = builtin == "unset" || arguments.Any(a => a.Text is "-n" or "+x");
        foreach (var argument in arguments.Where(a => a.IsUnresolved || !a.Text.StartsWith('-')))
        {
            if (argument.Text.Contains('='))
            {
                CheckAssignment(argument.Text, effects);
            }
            else if (removes)
            {
                CheckRemoval(builtin, argument, effects);
            }
        }
    }

    public static void CheckAssignment(string assignment, List<BashEffect> effects)
    {
        var name = assignment[..assignment.IndexOf('=')].TrimEnd('+');
        if (AgentSessionMarkers.IsMarker(name))
        {
            effects.Add(new BashEffect(BashEffectKind.MarkerRemoval, $"{name}=… (overwrites the session marker)"));
        }
        else if (name.StartsWith("GIT_CONFIG", StringComparison.Ordinal))
        {
            effects.Add(new BashEffect(BashEffectKind.GitUnidentified, $"{name}=… (git settings from the environment, such as an alias)"));
        }
    }

    public static void CheckRemoval(string command, ShellWord variable, List<BashEffect> effects)
    {
        if (variable.IsUnresolved || AgentSessionMarkers.IsMarker(variable.Text))
        {
            effects.Add(new BashEffect(BashEffectKind.MarkerRemoval, $"{command} {variable.Text}"));
        }
    }
}
