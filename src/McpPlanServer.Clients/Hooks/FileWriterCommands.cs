namespace McpPlanServer.Clients.Hooks;

/// <summary>
/// The hook's table of commands that write files, and where: each names its targets among its operands (which options
/// take a value, whether the whole tree under a target is covered), or has its own rule (<c>cp</c>/<c>mv</c> into a folder,
/// <c>sed -i</c>, <c>perl -i</c>, <c>dd of=</c>). A command missing here is not judged to write (best effort, see docs/claude-code.md).
/// </summary>
internal static class FileWriterCommands
{
    /// <summary>Every operand is a target: short and long options that take a value, and whether the tree below is removed.</summary>
    private static readonly Dictionary<string, (string ShortWithValue, string[] LongWithValue, bool CoversDescendants)> OperandWriters = new(StringComparer.Ordinal)
    {
        ["rm"] = ("", ["--interactive"], true),
        ["rmdir"] = ("", ["--interactive"], true),
        ["unlink"] = ("", ["--interactive"], true),
        ["shred"] = ("", ["--interactive"], true),
        ["mkdir"] = ("m", ["--mode"], false),
        ["touch"] = ("drt", ["--date", "--reference"], false),
        ["truncate"] = ("sr", ["--size", "--reference"], false),
        ["tee"] = ("", [], false),
    };

    /// <summary>Adds the writes of <paramref name="name"/> run with <paramref name="arguments"/>; false when it is not a command that writes files.</summary>
    public static bool TryAnalyze(string name, List<ShellWord> arguments, WorkingDirectories directory, List<BashEffect> effects)
    {
        if (OperandWriters.TryGetValue(name, out var writer))
        {
            WriteTargets.AddAll(effects, name, ParsedArguments.Parse(arguments, writer.ShortWithValue, writer.LongWithValue).Operands, directory, writer.CoversDescendants);
            return true;
        }

        switch (name)
        {
            case "chmod" or "chown" or "chgrp":
                var permissionArguments = ParsedArguments.Parse(arguments);
                var changed = permissionArguments.Has("--reference") ? permissionArguments.Operands : permissionArguments.Operands.Skip(1).ToList();
                WriteTargets.AddAll(effects, name, changed, directory, permissionArguments.Has("-R", "--recursive"));
                return true;
            case "cp" or "mv" or "ln" or "install" or "rsync":
                AnalyzeCopy(name, arguments, directory, effects);
                return true;
            case "sed":
                AnalyzeSed(arguments, directory, effects);
                return true;
            case "perl" when arguments.Any(IsPerlInPlaceOption):
                var perlArguments = ParsedArguments.Parse(arguments, "eEIMmx");
                WriteTargets.AddAll(effects, "perl -i", perlArguments.Has("-e", "-E") ? perlArguments.Operands : perlArguments.Operands.Skip(1).ToList(), directory, false);
                return true;
            case "dd":
                foreach (var argument in arguments.Where(a => a.Text.StartsWith("of=", StringComparison.Ordinal)))
                {
                    WriteTargets.Add(effects, "dd of=", argument with { Text = argument.Text[3..] }, directory, coversDescendants: false);
                }

                return true;
            default:
                return false;
        }
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

    private static void AnalyzeCopy(string name, List<ShellWord> arguments, WorkingDirectories directory, List<BashEffect> effects)
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
                && (sources.Count > 1 || destination.Text.EndsWith('/') || name == "rsync" || directory.Resolve(destination).Known.Any(Directory.Exists));
            if (!intoDirectory || !directory.IsCertain)
            {
                // Where the shell may be in several folders, the destination may be a folder in one and a file in another.
                WriteTargets.Add(effects, name, destination, directory, coversDescendants: false);
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
                    WriteTargets.Add(effects, name, targetDirectory, directory, coversDescendants: true);
                    continue;
                }

                var landed = targetDirectory.Text.TrimEnd('/') + "/" + Path.GetFileName(source.Text.TrimEnd('/'));
                WriteTargets.Add(effects, name, new ShellWord(landed, targetDirectory.IsUnresolved || source.IsUnresolved, source.HasGlob), directory, coversDescendants: name != "ln");
            }
        }

        if (name == "mv")
        {
            // Moving something away changes its old place as much as its new one (plans are not moved by hand).
            WriteTargets.AddAll(effects, name, sources, directory, coversDescendants: true);
        }
        else if (name == "ln")
        {
            // A link is a way in: `ln -s PLANS/Active x && echo > x/p.md` writes the plans through a name the hook cannot yet
            // resolve (the link does not exist when the hook runs). So linking to a place counts as writing it; a symbolic
            // link's relative target is read from the link's folder, so that reading is judged as well.
            WriteTargets.AddAll(effects, "ln (a link to it)", sources, directory, coversDescendants: false);
            if (parsed.Has("-s", "--symbolic") && operands.Count >= 2 && !operands[^1].IsUnresolved)
            {
                var linkFolder = targetDirectory?.Text ?? Path.GetDirectoryName(operands[^1].Text.TrimEnd('/'));
                foreach (var source in sources.Where(source => !source.IsUnresolved && !Path.IsPathRooted(source.Text) && !string.IsNullOrEmpty(linkFolder)))
                {
                    WriteTargets.Add(effects, "ln (a link to it)", new ShellWord(linkFolder + "/" + source.Text, false, source.HasGlob), directory, coversDescendants: false);
                }
            }
        }
    }

    private static void AnalyzeSed(List<ShellWord> arguments, WorkingDirectories directory, List<BashEffect> effects)
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
            WriteTargets.AddAll(effects, "sed -i", hasScriptOption ? operands : operands.Skip(1).ToList(), directory, coversDescendants: false);
        }
    }
}
