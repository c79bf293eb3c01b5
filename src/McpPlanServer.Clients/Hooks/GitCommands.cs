namespace McpPlanServer.Clients.Hooks;

/// <summary>
/// The hook's table of git: which invocations only read (all the planner and the observer may run), which commit,
/// and which the hook cannot name (an alias, a subcommand from stdin or a variable, settings that define one).
/// The rule is inverted on purpose: a subcommand missing from the read list is treated as a change.
/// </summary>
internal static class GitCommands
{
    /// <summary>Global options that take a value in the next word.</summary>
    private static readonly HashSet<string> OptionsWithValue =
        ["-C", "-c", "--git-dir", "--work-tree", "--namespace", "--config-env", "--super-prefix", "--exec-path", "--list-cmds", "--attr-source"];

    /// <summary>Subcommands that only read, whatever their options (apart from <c>--output</c>, checked for all).</summary>
    private static readonly HashSet<string> AlwaysReading =
    [
        "status", "log", "show", "diff", "blame", "annotate", "ls-files", "ls-tree", "ls-remote", "rev-parse", "rev-list",
        "cat-file", "describe", "shortlog", "whatchanged", "show-ref", "for-each-ref", "name-rev", "merge-base", "diff-tree",
        "diff-index", "diff-files", "count-objects", "verify-commit", "verify-tag", "verify-pack", "check-ignore", "check-attr",
        "check-mailmap", "check-ref-format", "var", "help", "version", "cherry", "range-diff", "show-branch", "get-tar-commit-id",
        "patch-id", "column", "stripspace",
    ];

    /// <summary>Every other subcommand git ships: known, so not an alias, but they can change something.</summary>
    private static readonly HashSet<string> OtherKnown =
    [
        "commit", "push", "reset", "checkout", "switch", "restore", "rebase", "merge", "clean", "am", "cherry-pick", "revert",
        "pull", "add", "rm", "mv", "update-ref", "update-index", "commit-tree", "filter-branch", "replace", "stash", "apply",
        "worktree", "notes", "remote", "submodule", "branch", "tag", "config", "fetch", "clone", "init", "gc", "prune", "repack",
        "merge-file", "checkout-index", "read-tree", "symbolic-ref", "fast-import", "fast-export", "bundle", "sparse-checkout",
        "bisect", "reflog", "maintenance", "mergetool", "difftool", "send-email", "request-pull", "format-patch", "archive",
        "fsck", "hash-object", "mktree", "mktag", "pack-objects", "unpack-objects", "prune-packed", "write-tree", "pack-refs",
        "credential", "grep", "init-db", "merge-tree", "merge-index", "mailinfo", "mailsplit", "interpret-trailers", "rerere",
        "replay", "backfill", "lfs", "gui", "citool", "instaweb", "daemon", "svn", "p4", "gitk",
    ];

    /// <summary><c>-c</c> settings that cannot run a program or change anything; any other one is not read-only.</summary>
    private static readonly string[] HarmlessSettingPrefixes = ["color.", "core.quotepath", "log.", "column.", "diff.renames", "diff.algorithm", "status.", "user.", "i18n."];

    /// <summary>Classifies one git invocation (its arguments after <c>git</c>); null when it only reads.</summary>
    public static (BashEffectKind Kind, string Description)? Classify(IReadOnlyList<ShellWord> arguments)
    {
        var i = 0;
        var settings = new List<string>();
        while (i < arguments.Count && arguments[i].Text.StartsWith('-') && !arguments[i].IsUnresolved)
        {
            var option = arguments[i].Text;
            var equals = option.IndexOf('=');
            var name = equals > 0 ? option[..equals] : option;
            var value = equals > 0 ? option[(equals + 1)..] : null;
            if (value is null && OptionsWithValue.Contains(name) && i + 1 < arguments.Count)
            {
                value = arguments[i + 1].IsUnresolved ? "(unknown)" : arguments[i + 1].Text;
                i++;
            }

            i++;
            if (name is "-c" or "--config-env")
            {
                settings.Add(value ?? "");
            }
            else if (name == "--exec-path" && value is not null)
            {
                return (BashEffectKind.GitUnidentified, "git --exec-path (git commands from another folder)");
            }
        }

        if (settings.FirstOrDefault(s => s.StartsWith("alias.", StringComparison.OrdinalIgnoreCase) || s == "(unknown)") is { } alias)
        {
            return (BashEffectKind.GitUnidentified, $"git -c {alias} (an alias)");
        }

        if (i >= arguments.Count)
        {
            return null; // git --version, git -h
        }

        if (arguments[i].IsUnresolved)
        {
            return (BashEffectKind.GitUnidentified, $"git {arguments[i].Text} (a subcommand the hook cannot read)");
        }

        var subcommand = arguments[i].Text;
        var rest = arguments.Skip(i + 1).ToList();
        if (!AlwaysReading.Contains(subcommand) && !OtherKnown.Contains(subcommand))
        {
            return (BashEffectKind.GitUnidentified, $"git {subcommand} (not a git command: an alias or an extension)");
        }

        if (subcommand == "commit")
        {
            return (BashEffectKind.GitCommit, "git commit");
        }

        if (settings.FirstOrDefault(s => !HarmlessSettingPrefixes.Any(p => s.StartsWith(p, StringComparison.OrdinalIgnoreCase))) is { } setting)
        {
            return (BashEffectKind.GitMutation, $"git -c {setting} {subcommand}");
        }

        return Reads(subcommand, rest) ? null : (BashEffectKind.GitMutation, $"git {subcommand}");
    }

    /// <summary>
    /// The folders a git invocation works in, as far as the hook can name them: the shell's folders moved by each
    /// <c>-C DIR</c> in turn, plus the <c>--work-tree</c> and <c>--git-dir</c> it names.
    /// </summary>
    public static IReadOnlyList<string> Folders(IReadOnlyList<ShellWord> arguments, WorkingDirectories directory)
    {
        var current = directory;
        var named = new List<ShellWord>();
        for (var i = 0; i < arguments.Count && arguments[i].Text.StartsWith('-') && !arguments[i].IsUnresolved; i++)
        {
            var option = arguments[i].Text;
            var equals = option.IndexOf('=');
            var name = equals > 0 ? option[..equals] : option;
            ShellWord? value = equals > 0 ? new ShellWord(option[(equals + 1)..]) : null;
            if (value is null && OptionsWithValue.Contains(name) && i + 1 < arguments.Count)
            {
                value = arguments[++i];
            }

            if (value is null || value.IsUnresolved)
            {
                continue;
            }

            if (name == "-C")
            {
                current = current.Resolve(value);
            }
            else if (name is "--work-tree" or "--git-dir")
            {
                named.Add(value);
            }
        }

        return [.. current.Known, .. named.SelectMany(folder => current.Resolve(folder).Known)];
    }

    private static bool Reads(string subcommand, List<ShellWord> rest)
    {
        var texts = rest.Select(r => r.Text).ToList();
        if (texts.Any(t => t.StartsWith("--output", StringComparison.Ordinal)) || rest.Any(r => r.IsUnresolved && r.Text.StartsWith('-')))
        {
            return false; // diff/log/show --output=FILE writes a file
        }

        var operands = texts.Where(r => !r.StartsWith('-')).ToList();
        var first = operands.FirstOrDefault();
        return subcommand switch
        {
            "grep" => !texts.Any(t => t.StartsWith("-O", StringComparison.Ordinal) || t.StartsWith("--open-files-in-pager", StringComparison.Ordinal)),
            _ when AlwaysReading.Contains(subcommand) => true,
            "stash" => first is "list" or "show",
            "apply" => texts.Any(r => r is "--check" or "--stat" or "--numstat" or "--summary") && !texts.Any(r => r is "--apply" or "--index" or "--cached" or "--3way"),
            "worktree" or "notes" or "remote" or "submodule" => first is "list" or "show" or "status" or "get-url" or "summary" || (first is null && subcommand != "submodule"),
            "branch" => !texts.Any(r => r is "-d" or "-D" or "-m" or "-M" or "-c" or "-C" or "-f" or "--delete" or "--move" or "--copy" or "--force"
                    or "-u" or "--set-upstream-to" or "--unset-upstream" or "--edit-description" || r.StartsWith("--set-upstream-to=", StringComparison.Ordinal))
                && (operands.Count == 0 || texts.Any(r => r is "-l" or "--list" or "--contains" or "--no-contains" or "--merged" or "--no-merged" or "--points-at")),
            "tag" => !texts.Any(r => r is "-d" or "--delete" or "-a" or "-s" or "-u" or "-f" or "-m" or "-F" or "--annotate" or "--sign" or "--force")
                && (operands.Count == 0 || texts.Any(r => r is "-l" or "--list" or "--contains" or "--no-contains" or "--merged" or "--no-merged" or "--points-at" or "-n" or "-v" or "--verify")),
            "config" => texts.Any(r => r is "--get" or "--get-all" or "--get-regexp" or "-l" or "--list" or "get" or "list")
                && !texts.Any(r => r is "--unset" or "--unset-all" or "--add" or "--replace-all" or "--remove-section" or "--rename-section" or "set" or "unset" or "--edit" or "-e"),
            "reflog" => first is null or "show" or "exists",
            "format-patch" => texts.Contains("--stdout") && !texts.Any(t => t is "-o" || t.StartsWith("--output-directory", StringComparison.Ordinal)),
            "archive" => !texts.Any(t => t is "-o" || t.StartsWith("--output", StringComparison.Ordinal)),
            "bundle" => first is "verify" or "list-heads",
            "sparse-checkout" => first is "list",
            "bisect" => first is "log",
            "fsck" => !texts.Contains("--lost-found"),
            "hash-object" => !texts.Contains("-w"),
            _ => false,
        };
    }
}
