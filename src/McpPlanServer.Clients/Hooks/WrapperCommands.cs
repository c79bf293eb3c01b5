namespace McpPlanServer.Clients.Hooks;

/// <summary>
/// The hook's table of wrappers: words that run the rest of the line as a command after their own options (<c>sudo</c>,
/// <c>env</c>, <c>timeout</c>, <c>xargs</c>, shell keywords), with which of those options take a value, so the analysis
/// reaches the command that really runs. <c>env</c> may also move the command (<c>-C</c>) or change the environment.
/// </summary>
internal static class WrapperCommands
{
    private static readonly HashSet<string> Names =
    [
        "!", "{", "}", "if", "then", "else", "elif", "do", "while", "until", "builtin", "nohup", "time", "command", "exec",
        "nice", "ionice", "timeout", "stdbuf", "sudo", "doas", "env", "xargs", "unbuffer", "chronic", "caffeinate", "setsid",
    ];

    /// <summary>Short options that take a value in the next word, per wrapper (the others take none).</summary>
    private static readonly Dictionary<string, string> OptionsWithValue = new(StringComparer.Ordinal)
    {
        ["sudo"] = "ugCDhprtUT", ["doas"] = "ugCDhprtUT", ["nice"] = "n", ["ionice"] = "cnpP", ["stdbuf"] = "ioe", ["exec"] = "a",
        ["setsid"] = "", ["time"] = "", ["command"] = "", ["timeout"] = "sk",
    };

    /// <summary>Skips assignments, keywords and wrapper commands (with their options) to the command that really runs.</summary>
    /// <param name="argumentsFromStdin">Set for <c>xargs</c>: the word that stands for what arrives on stdin.</param>
    public static int Skip(IReadOnlyList<ShellWord> words, ref WorkingDirectories directory, List<BashEffect> effects, out ShellWord? argumentsFromStdin)
    {
        argumentsFromStdin = null;
        var i = 0;
        while (i < words.Count)
        {
            var word = words[i];
            if (ShellVariables.IsAssignment(word.Text))
            {
                ShellVariables.CheckAssignment(word.Text, effects);
                i++;
                continue;
            }

            var name = Path.GetFileName(word.Text);
            if (!Names.Contains(name) || word.IsUnresolved)
            {
                return i;
            }

            i++;
            if (name == "exec" && words.Skip(i).TakeWhile(w => w.Text.StartsWith('-')).Any(w => w.Text.Contains('c')))
            {
                effects.Add(new BashEffect(BashEffectKind.MarkerRemoval, "exec -c (an empty environment)"));
            }

            if (OptionsWithValue.TryGetValue(name, out var withValue))
            {
                i = SkipOptions(words, i, withValue) + (name == "timeout" ? 1 : 0); // timeout's duration
            }
            else if (name == "env")
            {
                i = SkipEnvOptions(words, i, ref directory, effects);
            }
            else if (name == "xargs")
            {
                i = SkipXargsOptions(words, i, out argumentsFromStdin);
            }
        }

        return i;
    }

    /// <summary>xargs: words holding the replace string, or else one extra argument at the end, come from stdin.</summary>
    public static List<ShellWord> ReplaceOrAppend(List<ShellWord> arguments, ShellWord fromStdin)
    {
        var placeholder = fromStdin.Text;
        var replaced = false;
        var result = arguments.Select(a =>
        {
            if (!a.Text.Contains(placeholder, StringComparison.Ordinal))
            {
                return a;
            }

            replaced = true;
            return ShellWord.Unknown(a.Text);
        }).ToList();
        if (!replaced)
        {
            result.Add(ShellWord.Unknown("(arguments from stdin)"));
        }

        return result;
    }

    /// <summary>Skips options from <paramref name="index"/>; letters in <paramref name="withValue"/> take the next word when not attached.</summary>
    private static int SkipOptions(IReadOnlyList<ShellWord> words, int index, string withValue)
    {
        while (index < words.Count && words[index].Text.Length > 1 && words[index].Text[0] == '-')
        {
            var text = words[index].Text;
            index++;
            if (text == "--")
            {
                break;
            }

            if (!text.StartsWith("--", StringComparison.Ordinal) && text.Length == 2 && withValue.Contains(text[1]))
            {
                index++;
            }
        }

        return index;
    }

    private static int SkipXargsOptions(IReadOnlyList<ShellWord> words, int i, out ShellWord argumentsFromStdin)
    {
        argumentsFromStdin = ShellWord.Unknown("(arguments from stdin)");
        while (i < words.Count && words[i].Text.Length > 1 && words[i].Text[0] == '-')
        {
            var option = words[i].Text;
            i++;
            if (option.StartsWith("-I", StringComparison.Ordinal))
            {
                // -I R: every R in the command is replaced by a line of stdin.
                var replace = option.Length > 2 ? option[2..] : i < words.Count ? words[i++].Text : "{}";
                argumentsFromStdin = ShellWord.Unknown(replace);
            }
            else if (option.Length == 2 && "nPLsdEaA".Contains(option[1]))
            {
                i++;
            }
        }

        return i;
    }

    /// <summary>env's options: <c>-C dir</c> moves the command; <c>-i</c>, <c>-u VAR</c> and assignments may remove or overwrite a marker.</summary>
    private static int SkipEnvOptions(IReadOnlyList<ShellWord> words, int i, ref WorkingDirectories directory, List<BashEffect> effects)
    {
        while (i < words.Count && (words[i].Text.StartsWith('-') || ShellVariables.IsAssignment(words[i].Text)))
        {
            var text = words[i].Text;
            var next = i + 1 < words.Count ? words[i + 1] : null;
            if (ShellVariables.IsAssignment(text))
            {
                ShellVariables.CheckAssignment(text, effects);
            }
            else if (text is "-i" or "-" or "--ignore-environment" || (text.Length > 1 && text[1] != '-' && text.TrimStart('-').StartsWith('i')))
            {
                effects.Add(new BashEffect(BashEffectKind.MarkerRemoval, $"env {text} (an empty environment)"));
            }
            else if (text is "-C" or "--chdir" && next is not null)
            {
                directory = directory.Resolve(next);
                i++;
            }
            else if (text is "-u" or "--unset" && next is not null)
            {
                ShellVariables.CheckRemoval("env -u", next, effects);
                i++;
            }
            else if (text.StartsWith("--unset=", StringComparison.Ordinal) || (text.StartsWith("-u", StringComparison.Ordinal) && text.Length > 2))
            {
                ShellVariables.CheckRemoval("env -u", new ShellWord(text[(text.IndexOf('=') is var equals and > 0 ? equals + 1 : 2)..], words[i].IsUnresolved), effects);
            }
            else if (text is "-S" or "--split-string" || text.StartsWith("--split-string=", StringComparison.Ordinal) || text.StartsWith("-S", StringComparison.Ordinal))
            {
                // env -S splits a string into more options and a command: not followed; judged as removing markers.
                effects.Add(new BashEffect(BashEffectKind.MarkerRemoval, "env -S (options the hook does not follow)"));
                i++;
            }

            i++;
        }

        return i;
    }
}
