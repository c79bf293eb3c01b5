namespace McpPlanServer.Clients.Hooks;

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
                WriteTargets.Add(effects, $"{redirect.Operator} redirection", redirect.Target, directory, coversDescendants: false);
            }
        }

        var index = WrapperCommands.Skip(words, ref directory, effects, out var argumentsFromStdin);
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
            arguments = WrapperCommands.ReplaceOrAppend(arguments, argumentsFromStdin);
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
                    effects.Add(new BashEffect(git.Kind, git.Description) { GitFolders = GitCommands.Folders(arguments, directory) });
                }

                break;
            case "eval":
                return AnalyzeScript(string.Join(' ', arguments.Select(a => a.Text)), directory, effects, depth + 1);
            case var builtin when ShellVariables.IsBuiltin(builtin):
                ShellVariables.AnalyzeBuiltin(builtin, arguments, effects);
                break;
            case var shell when Shells.Contains(shell):
                if (ShellCommandString(arguments) is { } inner)
                {
                    AnalyzeScript(inner, directory, effects, depth + 1);
                }

                break;
            case "find":
                AnalyzeFind(arguments, directory, effects, depth);
                break;
            default:
                if (!FileWriterCommands.TryAnalyze(name, arguments, directory, effects) && PackageCommands.IsInstall(name, arguments))
                {
                    effects.Add(new BashEffect(BashEffectKind.PackageInstall, $"{name} {string.Join(' ', arguments.Take(2).Select(a => a.Text))}".TrimEnd()));
                }

                break;
        }

        return current;
    }

    private WorkingDirectories ChangeDirectory(List<ShellWord> arguments, WorkingDirectories directory)
    {
        var operands = ParsedArguments.Parse(arguments).Operands;
        if (operands.Count == 0)
        {
            return WorkingDirectories.Single(homeDirectory);
        }

        // cd -, pushd +1: a folder from the shell's memory, not from this line.
        return operands[0].Text == "-" || operands[0].Text.StartsWith('+') ? WorkingDirectories.Unknown : directory.Resolve(operands[0]);
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
            WriteTargets.AddAll(effects, "find -delete", startPoints, directory, coversDescendants: true);
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
}
