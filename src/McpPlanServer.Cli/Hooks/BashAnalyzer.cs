using McpPlanServer.Core.Security;

namespace McpPlanServer.Cli.Hooks;

/// <summary>
/// Best-effort reading of a Bash tool call: which commands would change git state, which would write files
/// and where, which would install packages, run the person's decisions or remove the session's markers. It sees
/// through <c>;</c> <c>&amp;&amp;</c> <c>||</c> <c>|</c> and newlines, <c>sudo</c>/<c>env</c>/<c>timeout</c>/<c>xargs</c>-style
/// wrappers, <c>bash -c</c>, <c>eval</c>, <c>$(…)</c>, <c>find -exec</c>, <c>cd</c> (keeping every folder a <c>cd</c> that
/// may fail or run in a subshell can leave the shell in) and <c>git -C dir</c>. It cannot see what an arbitrary
/// program does once it runs (a script, <c>python -c</c>, a Makefile); that is a limit of any hook, documented in
/// docs/claude-code.md, and the reason init also writes the client's sandbox rules.
/// </summary>
internal sealed class BashAnalyzer(string? homeDirectory)
{
    // Deeper nesting than this is not a real command line; stop rather than recurse without end.
    private const int MaxNesting = 8;

    private static readonly HashSet<string> Shells = ["bash", "sh", "zsh", "dash", "ksh", "fish"];

    // Words that run the rest of the line as a command (after their own options).
    private static readonly HashSet<string> TransparentWords =
    [
        "!", "{", "}", "if", "then", "else", "elif", "do", "while", "until", "builtin", "nohup", "time", "command", "exec",
        "nice", "ionice", "timeout", "stdbuf", "sudo", "doas", "env", "xargs", "unbuffer", "chronic", "caffeinate", "setsid",
    ];

    // Builtins that set, export or remove variables: a session marker among their operands is removed or overwritten.
    private static readonly HashSet<string> VariableBuiltins = ["unset", "export", "declare", "typeset", "local", "readonly"];

    private static readonly HashSet<string> HarmlessDevices = ["/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty", "-"];

    public IReadOnlyList<BashEffect> Analyze(string commandLine, string workingDirectory)
    {
        var effects = new List<BashEffect>();
        AnalyzeScript(commandLine, WorkingDirectories.Single(workingDirectory), effects, depth: 0);
        return effects;
    }

    /// <summary>Adds the effects of a script; returns the folders the shell may be in after it (for <c>eval</c>).</summary>
    private WorkingDirectories AnalyzeScript(string source, WorkingDirectories start, List<BashEffect> effects, int depth)
    {
        if (depth > MaxNesting)
        {
            effects.Add(new BashEffect(BashEffectKind.FileWrite, "deeply nested command", TargetText: "(nested more than 8 levels)"));
            return WorkingDirectories.Unknown;
        }

        var script = ShellLexer.Parse(source, homeDirectory);
        foreach (var body in script.HereDocuments)
        {
            AddOwnerDecision(effects, OwnerDecisionCommands.FindInCode(body), "in a here-document");
        }

        var current = start;
        WorkingDirectories? chainFallback = null; // where the shell is if the current && chain stops early
        var subshells = new Stack<(WorkingDirectories Current, WorkingDirectories? Fallback)>();
        var previousTerminator = "";
        foreach (var command in script.Commands)
        {
            foreach (var parenthesis in command.LeadingParentheses)
            {
                if (parenthesis == '(')
                {
                    subshells.Push((current, chainFallback));
                }
                else if (subshells.Count > 0)
                {
                    (current, chainFallback) = subshells.Pop(); // a subshell's cd never reaches what follows it
                }
            }

            foreach (var substitution in command.Substitutions ?? [])
            {
                AnalyzeScript(substitution, current, effects, depth + 1);
            }

            var after = AnalyzeCommand(command, current, effects, depth);
            var changed = !ReferenceEquals(after, current);
            if (changed && (command.Terminator is "|" or "|&" or "&" || previousTerminator is "|" or "|&"))
            {
                after = current.Union(after); // a pipeline element or background job: a subshell, unless lastpipe
            }

            if (command.Terminator == "&&")
            {
                if (changed)
                {
                    chainFallback = chainFallback is null ? current : chainFallback.Union(current);
                }

                current = after;
            }
            else if (command.Terminator is "|" or "|&")
            {
                current = after;
            }
            else
            {
                // The cd may have failed (cd /nonexistent 2>/dev/null; …) or not run (false && cd x; …).
                var next = changed ? after.Union(current) : current;
                current = chainFallback is null ? next : next.Union(chainFallback);
                chainFallback = null;
            }

            previousTerminator = command.Terminator;
        }

        return current;
    }

    /// <summary>Adds the command's effects; returns the folders the shell may be in after it (a new value only when it may change them).</summary>
    private WorkingDirectories AnalyzeCommand(ShellCommand command, WorkingDirectories current, List<BashEffect> effects, int depth)
    {
        var words = command.Words;
        AddOwnerDecision(effects, OwnerDecisionCommands.FindInWords(words), "");
        foreach (var word in words.Where(w => OwnerDecisionCommands.LooksLikeCode(w.Text)))
        {
            AddOwnerDecision(effects, OwnerDecisionCommands.FindInCode(word.Text), "in inline code");
        }

        var directory = current;
        foreach (var redirect in command.Redirects)
        {
            if (redirect.WritesFile)
            {
                AddWrite(effects, $"{redirect.Operator} redirection", redirect.Target, directory, coversDescendants: false);
            }
        }

        var index = SkipWrappers(words, ref directory, effects, out var argumentsFromStdin);
        if (index >= words.Count)
        {
            return current;
        }

        if (words[index].IsUnresolved)
        {
            if (words.Skip(index + 1).FirstOrDefault(w => OwnerDecisionCommands.Verbs.Contains(w.Text)) is { } verb)
            {
                AddOwnerDecision(effects, $"{words[index].Text} {verb.Text} (a program the hook cannot name, with an owner's verb)", "");
            }

            return current;
        }

        var name = Path.GetFileName(words[index].Text);
        var arguments = words.Skip(index + 1).ToList();
        if (argumentsFromStdin is not null)
        {
            arguments = ReplaceOrAppend(arguments, argumentsFromStdin);
            AddOwnerDecision(effects, OwnerDecisionCommands.FindInWords([words[index], .. arguments]), "");
        }

        switch (name)
        {
            case "cd" or "pushd":
                return ChangeDirectory(arguments, directory);
            case "popd" or "source" or ".":
                return WorkingDirectories.Unknown; // the stack or the sourced script decides
            case "git":
                if (GitCommands.Classify(arguments) is { } git)
                {
                    effects.Add(new BashEffect(git.Kind, git.Description));
                }

                break;
            case "eval":
                return AnalyzeScript(string.Join(' ', arguments.Select(a => a.Text)), directory, effects, depth + 1);
            case var builtin when VariableBuiltins.Contains(builtin):
                AnalyzeVariableBuiltin(builtin, arguments, effects);
                break;
            case var shell when Shells.Contains(shell):
                if (ShellCommandString(arguments) is { } inner)
                {
                    AnalyzeScript(inner, directory, effects, depth + 1);
                }

                break;
            case "rm" or "rmdir" or "unlink" or "shred":
                AddWrites(effects, name, ParsedArguments.Parse(arguments, "", "--interactive").Operands, directory, coversDescendants: true);
                break;
            case "mkdir":
                AddWrites(effects, name, ParsedArguments.Parse(arguments, "m", "--mode").Operands, directory, coversDescendants: false);
                break;
            case "touch":
                AddWrites(effects, name, ParsedArguments.Parse(arguments, "drt", "--date", "--reference").Operands, directory, coversDescendants: false);
                break;
            case "truncate":
                AddWrites(effects, name, ParsedArguments.Parse(arguments, "sr", "--size", "--reference").Operands, directory, coversDescendants: false);
                break;
            case "tee":
                AddWrites(effects, name, ParsedArguments.Parse(arguments).Operands, directory, coversDescendants: false);
                break;
            case "chmod" or "chown" or "chgrp":
                var permissionArguments = ParsedArguments.Parse(arguments);
                var changed = permissionArguments.Has("--reference") ? permissionArguments.Operands : permissionArguments.Operands.Skip(1).ToList();
                AddWrites(effects, name, changed, directory, permissionArguments.Has("-R", "--recursive"));
                break;
            case "cp" or "mv" or "ln" or "install" or "rsync":
                AnalyzeCopy(name, arguments, directory, effects);
                break;
            case "sed":
                AnalyzeSed(arguments, directory, effects);
                break;
            case "perl" when arguments.Any(IsPerlInPlaceOption):
                var perlArguments = ParsedArguments.Parse(arguments, "eEIMmx");
                AddWrites(effects, "perl -i", perlArguments.Has("-e", "-E") ? perlArguments.Operands : perlArguments.Operands.Skip(1).ToList(), directory, false);
                break;
            case "dd":
                foreach (var argument in arguments.Where(a => a.Text.StartsWith("of=", StringComparison.Ordinal)))
                {
                    AddWrite(effects, "dd of=", argument with { Text = argument.Text[3..] }, directory, coversDescendants: false);
                }

                break;
            case "find":
                AnalyzeFind(arguments, directory, effects, depth);
                break;
            default:
                if (PackageCommands.IsInstall(name, arguments))
                {
                    effects.Add(new BashEffect(BashEffectKind.PackageInstall, $"{name} {string.Join(' ', arguments.Take(2).Select(a => a.Text))}".TrimEnd()));
                }

                break;
        }

        return current;
    }


    /// <summary>Skips assignments, keywords and wrapper commands (with their options) to the command that really runs.</summary>
    private static int SkipWrappers(IReadOnlyList<ShellWord> words, ref WorkingDirectories directory, List<BashEffect> effects, out ShellWord? argumentsFromStdin)
    {
        argumentsFromStdin = null;
        var i = 0;
        while (i < words.Count)
        {
            var word = words[i];
            if (IsAssignment(word.Text))
            {
                CheckAssignment(word.Text, effects);
                i++;
                continue;
            }

            var name = Path.GetFileName(word.Text);
            if (!TransparentWords.Contains(name) || word.IsUnresolved)
            {
                return i;
            }

            i++;
            switch (name)
            {
                case "sudo" or "doas":
                    i = SkipOptions(words, i, "ugCDhprtUT");
                    break;
                case "env":
                    i = SkipEnvOptions(words, i, ref directory, effects);
                    break;
                case "nice":
                    i = SkipOptions(words, i, "n");
                    break;
                case "ionice":
                    i = SkipOptions(words, i, "cnpP");
                    break;
                case "stdbuf":
                    i = SkipOptions(words, i, "ioe");
                    break;
                case "exec":
                    if (words.Skip(i).TakeWhile(w => w.Text.StartsWith('-')).Any(w => w.Text.Contains('c')))
                    {
                        effects.Add(new BashEffect(BashEffectKind.MarkerRemoval, "exec -c (an empty environment)"));
                    }

                    i = SkipOptions(words, i, "a");
                    break;
                case "setsid":
                    i = SkipOptions(words, i, "");
                    break;
                case "time" or "command":
                    i = SkipOptions(words, i, "");
                    break;
                case "timeout":
                    i = SkipOptions(words, i, "sk") + 1; // the duration
                    break;
                case "xargs":
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

                    break;
            }
        }

        return i;
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

    private static bool IsPerlInPlaceOption(ShellWord word)
    {
        // "-pi", "-i.bak", "-lpi": an -i reached through flag letters only (not inside "-Ilib" or "-Mstrict").
        var text = word.Text;
        if (text.Length < 2 || text[0] != '-' || text[1] == '-')
        {
            return false;
        }

        var i = 1;
        while (i < text.Length && "pnaslwcTtUuWX0".Contains(text[i]))
        {
            i++;
        }

        return i < text.Length && text[i] == 'i';
    }

    private static bool IsAssignment(string text)
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

    /// <summary>xargs: words holding the replace string, or else one extra argument at the end, come from stdin.</summary>
    private static List<ShellWord> ReplaceOrAppend(List<ShellWord> arguments, ShellWord fromStdin)
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

    private WorkingDirectories ChangeDirectory(List<ShellWord> arguments, WorkingDirectories directory)
    {
        var operands = ParsedArguments.Parse(arguments).Operands;
        if (operands.Count == 0)
        {
            return WorkingDirectories.Single(homeDirectory);
        }

        // cd -, pushd +1: a folder from the shell's memory, not from this line.
        return operands[0].Text == "-" || operands[0].Text.StartsWith('+') ? WorkingDirectories.Unknown : ResolveDirectory(operands[0], directory);
    }

    private static WorkingDirectories ResolveDirectory(ShellWord word, WorkingDirectories directory)
    {
        if (word.IsUnresolved || word.HasGlob)
        {
            return WorkingDirectories.Unknown;
        }

        return Path.IsPathRooted(word.Text) ? WorkingDirectories.Single(word.Text) : directory.Select(d => Path.Join(d, word.Text));
    }

    /// <summary>env's options: <c>-C dir</c> moves the command; <c>-i</c>, <c>-u VAR</c> and assignments may remove or overwrite a marker.</summary>
    private static int SkipEnvOptions(IReadOnlyList<ShellWord> words, int i, ref WorkingDirectories directory, List<BashEffect> effects)
    {
        while (i < words.Count && (words[i].Text.StartsWith('-') || IsAssignment(words[i].Text)))
        {
            var text = words[i].Text;
            var next = i + 1 < words.Count ? words[i + 1] : null;
            if (IsAssignment(text))
            {
                CheckAssignment(text, effects);
            }
            else if (text is "-i" or "-" or "--ignore-environment" || (text.Length > 1 && text[1] != '-' && text.TrimStart('-').StartsWith('i')))
            {
                effects.Add(new BashEffect(BashEffectKind.MarkerRemoval, $"env {text} (an empty environment)"));
            }
            else if (text is "-C" or "--chdir" && next is not null)
            {
                directory = ResolveDirectory(next, directory);
                i++;
            }
            else if (text is "-u" or "--unset" && next is not null)
            {
                CheckRemoval("env -u", next, effects);
                i++;
            }
            else if (text.StartsWith("--unset=", StringComparison.Ordinal) || (text.StartsWith("-u", StringComparison.Ordinal) && text.Length > 2))
            {
                CheckRemoval("env -u", new ShellWord(text[(text.IndexOf('=') is var equals and > 0 ? equals + 1 : 2)..], words[i].IsUnresolved), effects);
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

    /// <summary><c>unset VAR</c>, <c>export -n VAR</c>, <c>export VAR=…</c>, <c>declare VAR=…</c>: a marker among the operands is removed or overwritten.</summary>
    private static void AnalyzeVariableBuiltin(string builtin, List<ShellWord> arguments, List<BashEffect> effects)
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

    private static void CheckAssignment(string assignment, List<BashEffect> effects)
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

    private static void CheckRemoval(string command, ShellWord variable, List<BashEffect> effects)
    {
        if (variable.IsUnresolved || AgentSessionMarkers.IsMarker(variable.Text))
        {
            effects.Add(new BashEffect(BashEffectKind.MarkerRemoval, $"{command} {variable.Text}"));
        }
    }

    private static void AddOwnerDecision(List<BashEffect> effects, string? decision, string where)
    {
        if (decision is not null)
        {
            effects.Add(new BashEffect(BashEffectKind.OwnerDecision, where.Length == 0 ? decision : $"{decision} ({where})"));
        }
    }

    private static string? ShellCommandString(List<ShellWord> arguments)
    {
        var hasCommandOption = false;
        for (var i = 0; i < arguments.Count; i++)
        {
            var text = arguments[i].Text;
            if (text is "-o" or "+o" or "-O" or "+O" or "--rcfile" or "--init-file")
            {
                i++;
            }
            else if (text.Length > 1 && text[0] is '-' or '+' && !text.StartsWith("--", StringComparison.Ordinal))
            {
                hasCommandOption |= text.Contains('c');
            }
            else if (!text.StartsWith("--", StringComparison.Ordinal))
            {
                return hasCommandOption ? text : null;
            }
        }

        return null;
    }

    private void AnalyzeCopy(string name, List<ShellWord> arguments, WorkingDirectories directory, List<BashEffect> effects)
    {
        var parsed = ParsedArguments.Parse(arguments, name is "install" ? "tSmogbB" : "tSbB", "--target-directory", "--suffix", "--mode", "--owner", "--group");
        var operands = parsed.Operands;
        var targetDirectory = parsed.Value("-t", "--target-directory");
        var sources = operands;
        if (targetDirectory is null && operands.Count >= 2)
        {
            var destination = operands[^1];
            sources = operands.Take(operands.Count - 1).ToList();
            var intoDirectory = !parsed.Has("-T", "--no-target-directory")
                && (sources.Count > 1 || destination.Text.EndsWith('/') || name == "rsync" || IsExistingDirectory(destination, directory));
            if (!intoDirectory || !directory.IsCertain)
            {
                // Where the shell may be in several folders, the destination may be a folder in one and a file in another.
                AddWrite(effects, name, destination, directory, coversDescendants: false);
            }
            else
            {
                targetDirectory = destination;
            }
        }
        else if (targetDirectory is null && operands.Count == 1 && name == "ln")
        {
            targetDirectory = new ShellWord(".");
        }

        if (targetDirectory is not null)
        {
            foreach (var source in sources)
            {
                if (source.IsUnresolved && !targetDirectory.IsUnresolved)
                {
                    // The name is unknown (xargs, $VAR) but the folder is not: it may land on anything directly in it.
                    AddWrite(effects, name, targetDirectory, directory, coversDescendants: true);
                    continue;
                }

                var landed = targetDirectory.Text.TrimEnd('/') + "/" + Path.GetFileName(source.Text.TrimEnd('/'));
                AddWrite(effects, name, new ShellWord(landed, targetDirectory.IsUnresolved || source.IsUnresolved, source.HasGlob), directory, coversDescendants: name != "ln");
            }
        }

        if (name == "mv")
        {
            // Moving something away changes its old place as much as its new one (plans are not moved by hand).
            AddWrites(effects, name, sources, directory, coversDescendants: true);
        }
    }

    private static bool IsExistingDirectory(ShellWord word, WorkingDirectories directory) =>
        ResolveDirectory(word, directory).Known.Any(Directory.Exists);

    private void AnalyzeSed(List<ShellWord> arguments, WorkingDirectories directory, List<BashEffect> effects)
    {
        var inPlace = false;
        var hasScriptOption = false;
        var operands = new List<ShellWord>();
        for (var i = 0; i < arguments.Count; i++)
        {
            var text = arguments[i].Text;
            if (text.StartsWith("--", StringComparison.Ordinal))
            {
                inPlace |= text.StartsWith("--in-place", StringComparison.Ordinal);
                if (text is "--expression" or "--file")
                {
                    hasScriptOption = true;
                    i++;
                }

                hasScriptOption |= text.StartsWith("--expression=", StringComparison.Ordinal) || text.StartsWith("--file=", StringComparison.Ordinal);
                continue;
            }

            if (text.Length < 2 || text[0] != '-' || arguments[i].IsUnresolved)
            {
                operands.Add(arguments[i]);
                continue;
            }

            for (var j = 1; j < text.Length; j++)
            {
                if (text[j] == 'i')
                {
                    inPlace = true;
                    break; // the rest of the cluster is the backup suffix
                }

                if (text[j] is 'e' or 'f' or 'l')
                {
                    hasScriptOption |= text[j] != 'l';
                    if (j == text.Length - 1)
                    {
                        i++;
                    }

                    break;
                }
            }
        }

        if (inPlace)
        {
            AddWrites(effects, "sed -i", hasScriptOption ? operands : operands.Skip(1).ToList(), directory, coversDescendants: false);
        }
    }

    private void AnalyzeFind(List<ShellWord> arguments, WorkingDirectories directory, List<BashEffect> effects, int depth)
    {
        var startPoints = arguments.TakeWhile(a => !(a.Text.StartsWith('-') || a.Text is "(" or "!" or ")")).ToList();
        if (startPoints.Count == 0)
        {
            startPoints.Add(new ShellWord("."));
        }

        var expression = arguments.Skip(startPoints.Count).ToList();
        if (expression.Any(a => a.Text == "-delete"))
        {
            AddWrites(effects, "find -delete", startPoints, directory, coversDescendants: true);
        }

        for (var i = 0; i < expression.Count; i++)
        {
            if (expression[i].Text is not ("-exec" or "-execdir" or "-ok" or "-okdir"))
            {
                continue;
            }

            var executed = expression.Skip(i + 1).TakeWhile(a => a.Text is not (";" or "+")).ToList();
            i += executed.Count + 1;
            foreach (var start in startPoints)
            {
                // "{}" is each file found below the start point; the start point itself stands in for them.
                var words = executed.Select(w => w.Text == "{}" ? start : w).ToList();
                AnalyzeCommand(new ShellCommand(words, []), directory, effects, depth + 1);
            }
        }
    }

    private void AddWrites(List<BashEffect> effects, string command, IEnumerable<ShellWord> targets, WorkingDirectories directory, bool coversDescendants)
    {
        foreach (var target in targets)
        {
            AddWrite(effects, command, target, directory, coversDescendants);
        }
    }

    private static void AddWrite(List<BashEffect> effects, string command, ShellWord target, WorkingDirectories directory, bool coversDescendants)
    {
        if (HarmlessDevices.Contains(target.Text) || target.Text.StartsWith("/dev/fd/", StringComparison.Ordinal))
        {
            return;
        }

        if (target.IsUnresolved)
        {
            effects.Add(new BashEffect(BashEffectKind.FileWrite, command, null, target.Text, coversDescendants));
            return;
        }

        if (Path.IsPathRooted(target.Text))
        {
            AddResolvedWrite(effects, command, target, target.Text, coversDescendants, uncertain: false);
            return;
        }

        foreach (var folder in directory.Known)
        {
            AddResolvedWrite(effects, command, target, Path.Join(folder, target.Text), coversDescendants, uncertain: !directory.IsCertain);
        }

        if (directory.MayBeUnknown)
        {
            effects.Add(new BashEffect(BashEffectKind.FileWrite, command, null, target.Text, coversDescendants, LocationUnknown: true));
        }
    }

    private static void AddResolvedWrite(List<BashEffect> effects, string command, ShellWord target, string full, bool coversDescendants, bool uncertain)
    {
        foreach (var match in target.HasGlob ? ExpandGlob(full) : [full])
        {
            effects.Add(new BashEffect(BashEffectKind.FileWrite, command, match, target.Text, coversDescendants, DirectoryUncertain: uncertain));
        }
    }

    /// <summary>Expands a pattern in the last component against the disk; patterns in earlier components are left unknown (null).</summary>
    private static IEnumerable<string?> ExpandGlob(string full)
    {
        var folder = Path.GetDirectoryName(full);
        var pattern = Path.GetFileName(full);
        if (folder is null || folder.IndexOfAny(['*', '?', '[']) >= 0)
        {
            return [null];
        }

        var matches = Directory.Exists(folder)
            ? Directory.EnumerateFileSystemEntries(folder).Where(entry => GlobPattern.Matches(pattern, Path.GetFileName(entry))).ToList()
            : [];
        return matches.Count > 0 ? matches : [full]; // bash passes an unmatched pattern on literally
    }
}
