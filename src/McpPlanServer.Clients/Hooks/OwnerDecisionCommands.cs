using System.Buffers;

namespace McpPlanServer.Clients.Hooks;

/// <summary>
/// Recognizes the person's decisions in a command line: a word naming the mcpplan program (<c>mcpplan</c>,
/// <c>/abs/mcpplan</c>, <c>mcpplan.dll</c> after <c>dotnet</c>, <c>dotnet tool run mcpplan</c>) followed by an owner
/// verb, whatever runs it (<c>env</c>, <c>xargs</c>, <c>setsid</c>, <c>ssh</c>…). Inline code (<c>python3 -c</c>,
/// <c>node -e</c>, here-documents) is scanned as text for the same pair. Code that assembles the words at run time
/// (<c>"mcp"+"plan"</c>, base64) is beyond any hook; the owner's CLI refuses inside agent sessions and the sandbox
/// keeps the plans folder read-only for them.
/// </summary>
internal static class OwnerDecisionCommands
{
    /// <summary>The owner's verbs no agent may run: the person's decisions.</summary>
    public static readonly IReadOnlySet<string> Verbs = new HashSet<string>(StringComparer.Ordinal) { "approve", "request-changes", "complete", "abandon", "integrate" };

    private static readonly char[] CodeSeparators = [' ', '\t', '\n', '\r', ';', '(', ')', '"', '\'', ',', '[', ']', '{', '}', '`', '|', '&', '<', '>', '+', '='];
    private static readonly SearchValues<char> CodeSeparatorValues = SearchValues.Create(CodeSeparators);

    public static bool IsProgramName(string word)
    {
        var name = Path.GetFileName(word.Replace('\\', '/'));
        return name.Equals("mcpplan", StringComparison.OrdinalIgnoreCase)
            || name.Equals("mcpplan.exe", StringComparison.OrdinalIgnoreCase)
            || name.Equals("mcpplan.dll", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The decision the words of one simple command run, or null: a program word, then a verb (or a subcommand the hook cannot read).</summary>
    public static string? FindInWords(IReadOnlyList<ShellWord> words)
    {
        for (var i = 0; i < words.Count; i++)
        {
            if (words[i].IsUnresolved || !IsProgramName(words[i].Text))
            {
                continue;
            }

            var subcommand = words.Skip(i + 1).FirstOrDefault(w => w.IsUnresolved || !w.Text.StartsWith('-'));
            if (subcommand is { IsUnresolved: true })
            {
                return $"mcpplan {subcommand.Text} (a subcommand the hook cannot read)";
            }

            if (words.Skip(i + 1).FirstOrDefault(w => Verbs.Contains(w.Text)) is { } verb)
            {
                return $"mcpplan {verb.Text}";
            }
        }

        return null;
    }

    /// <summary>The decision named in code or text (an interpreter's inline code, a here-document), or null.</summary>
    public static string? FindInCode(string code)
    {
        if (!code.Contains("mcpplan", StringComparison.OrdinalIgnoreCase))
        {
            return null; // the common case, without splitting
        }

        var tokens = code.Split(CodeSeparators, StringSplitOptions.RemoveEmptyEntries);
        var seenProgram = false;
        foreach (var token in tokens)
        {
            if (seenProgram && Verbs.Contains(token))
            {
                return $"mcpplan {token}";
            }

            seenProgram |= IsProgramName(token);
        }

        return null;
    }

    /// <summary>True when a word holds code rather than one argument: the text of <c>-c '…'</c>, <c>-e '…'</c> and the like.</summary>
    public static bool LooksLikeCode(string text) => text.AsSpan().IndexOfAny(CodeSeparatorValues) >= 0;
}
