namespace McpPlanServer.Cli.Hooks;

/// <summary>
/// Best-effort reading of a Bash tool call: which commands would change git state, which would write files
/// and where, which would install packages. It sees through <c>;</c> <c>&amp;&amp;</c> <c>||</c> <c>|</c> and newlines,
/// <c>sudo</c>/<c>env</c>/<c>timeout</c>/<c>xargs</c>-style wrappers, <c>bash -c</c>, <c>eval</c>, <c>$(…)</c>,
/// <c>find -exec</c>, <c>cd</c> and <c>git -C dir</c>. It cannot see what an arbitrary program does once it runs
/// (a script, <c>python -c</c>, a Makefile); that is a limit of any hook, documented in docs/claude-code.md.
/// </summary>
internal sealed class BashAnalyzer(string? homeDirectory)
{
    // Deeper nesting than this is not a real command line; stop rather than recurse without end.
    private const int MaxNesting = 8;

    private static readonly HashSet<string> AlwaysMutatingGit =
    [
        "commit", "push", "reset", "checkout", "switch", "restore", "rebase", "merge", "clean", "am", "cherry-pick",
        "revert", "pull", "add", "rm", "mv", "update-ref", "update-index", "commit-tree", "filter-branch", "replace",
    ];

    private static readonly HashSet<string> Shells = ["bash", "sh", "zsh", "dash", "ksh", "fish"];

    // Words that run the rest of the line as a command (after their own options).
    private static readonly HashSet<string> TransparentWords =
    [
        "!", "{", "}", "if", "then", "else", "elif", "do", "while", "until", "builtin", "nohup", "time", "command", "exec",
        "nice", "ionice", "timeout", "stdbuf", "sudo", "doas", "env", "xargs", "unbuffer", "chronic", "caffeinate",
    ];

    private static readonly HashSet<string> HarmlessDevices = ["/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty", "-"];

    public IReadOnlyList<BashEffect> Analyze(string commandLine, string workingDirectory)
    {
        var effects = new List<BashEffect>();
        AnalyzeScript(commandLine, workingDirectory, effects, depth: 0);
        return effects;
    }

    private void AnalyzeScript(string source, string? directory, List<BashEffect> effects, int depth)
    {
        if (depth > MaxNesting)
        {
            effects.Add(new BashEffect(BashEffectKind.FileWrite, "deeply nested command", TargetText: "(nested more than 8 levels)"));
            return;
        }

        var script = ShellLexer.Parse(source, homeDirectory);
        var current = directory;
        foreach (var command in script.Commands)
        {
            current = AnalyzeCommand(command, current, effects, depth);
        }

        foreach (var substitution in script.Substitutions)
        {
            AnalyzeScript(substitution, directory, effects, depth + 1);
        }
    }

    /// <summary>Adds the command's effects; returns the working directory for the commands after it (changed by <c>cd</c>; null when unknown).</summary>
    private string? AnalyzeCommand(ShellCommand command, string? directory, List<BashEffect> effects, int depth)
    {
        foreach (var redirect in command.Redirects)
        {
            if (redirect.WritesFile)
            {
                AddWrite(effects, $"{redirect.Operator} redirection", redirect.Target, directory, coversDescendants: false);
            }
        }

        var words = command.Words;
        var index = SkipWrappers(words, ref directory, out var argumentsFromStdin);
        if (index >= words.Count || words[index].IsUnresolved)
        {
            return directory;
        }

        var name = Path.GetFileName(words[index].Text);
        var arguments = words.Skip(index + 1).ToList();
        if (argumentsFromStdin is not null)
        {
            arguments = ReplaceOrAppend(arguments, argumentsFromStdin);
        }

        switch (name)
        {
            case "cd" or "pushd":
                return ChangeDirectory(arguments, directory);
            case "git":
                AnalyzeGit(arguments, effects);
                break;
            case "eval":
                AnalyzeScript(string.Join(' ', arguments.Select(a => a.Text)), directory, effects, depth + 1);
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

        return directory;
    }

    /// <summary>Skips assignments, keywords and wrapper commands (with their options) to the command that really runs.</summary>
    private static int SkipWrappers(IReadOnlyList<ShellWord> words, ref string? directory, out ShellWord? argumentsFromStdin)
    {
        argumentsFromStdin = null;
        var i = 0;
        while (i < words.Count)
        {
            var word = words[i];
            if (IsAssignment(word.Text))
            {
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
                    while (i < words.Count && (words[i].Text.StartsWith('-') || IsAssignment(words[i].Text)))
                    {
                        if (words[i].Text is "-C" or "--chdir" && i + 1 < words.Count)
                        {
                            directory = ResolveDirectory(words[i + 1], directory);
                            i++;
                        }
                        else if (words[i].Text is "-u" or "--unset" or "-S" or "--split-string")
                        {
                            i++;
                        }

                        i++;
                    }

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
                    i = SkipOptions(words, i, "a");
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

    private string? ChangeDirectory(List<ShellWord> arguments, string? directory)
    {
        var operands = ParsedArguments.Parse(arguments).Operands;
        if (operands.Count == 0)
        {
            return homeDirectory;
        }

        return operands[0].Text == "-" ? null : ResolveDirectory(operands[0], directory);
    }

    private static string? ResolveDirectory(ShellWord word, string? directory)
    {
        if (word.IsUnresolved || word.HasGlob)
        {
            return null;
        }

        if (Path.IsPathRooted(word.Text))
        {
            return word.Text;
        }

        return directory is null ? null : Path.Join(directory, word.Text);
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

    private static void AnalyzeGit(List<ShellWord> arguments, List<BashEffect> effects)
    {
        var i = 0;
        while (i < arguments.Count && arguments[i].Text.StartsWith('-'))
        {
            var option = arguments[i].Text;
            i += option is "-C" or "-c" or "--git-dir" or "--work-tree" or "--namespace" or "--config-env" or "--super-prefix" or "--exec-path" ? 2 : 1;
        }

        if (i >= arguments.Count)
        {
            return;
        }

        var subcommand = arguments[i].Text;
        var rest = arguments.Skip(i + 1).Select(a => a.Text).ToList();
        if (IsMutatingGit(subcommand, rest))
        {
            effects.Add(new BashEffect(BashEffectKind.GitMutation, $"git {subcommand}"));
        }
    }

    private static bool IsMutatingGit(string subcommand, List<string> rest)
    {
        var operands = rest.Where(r => !r.StartsWith('-')).ToList();
        var first = operands.FirstOrDefault();
        return subcommand switch
        {
            _ when AlwaysMutatingGit.Contains(subcommand) => true,
            "stash" => first is not ("list" or "show"),
            "apply" => !rest.Any(r => r is "--check" or "--stat" or "--numstat" or "--summary") || rest.Contains("--apply"),
            "worktree" or "notes" or "remote" or "submodule" => first is not (null or "list" or "show" or "status" or "get-url" or "foreach"),
            "branch" => rest.Any(r => r is "-d" or "-D" or "-m" or "-M" or "-c" or "-C" or "-f" or "--delete" or "--move" or "--copy" or "--force"
                    or "-u" or "--set-upstream-to" or "--unset-upstream" or "--edit-description" || r.StartsWith("--set-upstream-to=", StringComparison.Ordinal))
                || (operands.Count > 0 && !rest.Any(r => r is "-l" or "--list" or "--contains" or "--no-contains" or "--merged" or "--no-merged" or "--points-at")),
            "tag" => rest.Any(r => r is "-d" or "--delete" or "-a" or "-s" or "-u" or "-f" or "-m" or "-F" or "--annotate" or "--sign" or "--force")
                || (operands.Count > 0 && !rest.Any(r => r is "-l" or "--list" or "--contains" or "--no-contains" or "--merged" or "--no-merged" or "--points-at" or "-n" or "-v" or "--verify")),
            "config" => rest.Any(r => r is "--unset" or "--unset-all" or "--add" or "--replace-all" or "--remove-section" or "--rename-section" or "set" or "unset")
                || (operands.Count >= 2 && !rest.Any(r => r is "--get" or "--get-all" or "--get-regexp" or "-l" or "--list"))
                || first is "set" or "unset",
            _ => false,
        };
    }

    private void AnalyzeCopy(string name, List<ShellWord> arguments, string? directory, List<BashEffect> effects)
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
            if (!intoDirectory)
            {
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

    private static bool IsExistingDirectory(ShellWord word, string? directory)
    {
        var full = ResolveDirectory(word, directory);
        return full is not null && Directory.Exists(full);
    }

    private void AnalyzeSed(List<ShellWord> arguments, string? directory, List<BashEffect> effects)
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

    private void AnalyzeFind(List<ShellWord> arguments, string? directory, List<BashEffect> effects, int depth)
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

    private void AddWrites(List<BashEffect> effects, string command, IEnumerable<ShellWord> targets, string? directory, bool coversDescendants)
    {
        foreach (var target in targets)
        {
            AddWrite(effects, command, target, directory, coversDescendants);
        }
    }

    private static void AddWrite(List<BashEffect> effects, string command, ShellWord target, string? directory, bool coversDescendants)
    {
        if (HarmlessDevices.Contains(target.Text) || target.Text.StartsWith("/dev/fd/", StringComparison.Ordinal))
        {
            return;
        }

        var full = target.IsUnresolved || (directory is null && !Path.IsPathRooted(target.Text))
            ? null
            : Path.IsPathRooted(target.Text) ? target.Text : Path.Join(directory, target.Text);
        if (full is null)
        {
            effects.Add(new BashEffect(BashEffectKind.FileWrite, command, null, target.Text, coversDescendants));
            return;
        }

        if (!target.HasGlob)
        {
            effects.Add(new BashEffect(BashEffectKind.FileWrite, command, full, target.Text, coversDescendants));
            return;
        }

        foreach (var match in ExpandGlob(full))
        {
            effects.Add(new BashEffect(BashEffectKind.FileWrite, command, match, target.Text, coversDescendants));
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
