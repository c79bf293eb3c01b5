namespace McpPlanServer.Clients.Hooks;

/// <summary>
/// The hook's table of write targets: how a target a command writes becomes <see cref="BashEffect"/>s. Harmless devices are
/// dropped; an unresolved target stays unnamed; a relative one is judged in every folder the shell may be in; a pattern in the
/// last component is expanded against the disk as bash would.
/// </summary>
internal static class WriteTargets
{
    /// <summary>Targets that write nowhere on disk.</summary>
    private static readonly HashSet<string> HarmlessDevices = ["/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty", "-"];

    public static void AddAll(List<BashEffect> effects, string command, IEnumerable<ShellWord> targets, WorkingDirectories directory, bool coversDescendants)
    {
        foreach (var target in targets)
        {
            Add(effects, command, target, directory, coversDescendants);
        }
    }

    public static void Add(List<BashEffect> effects, string command, ShellWord target, WorkingDirectories directory, bool coversDescendants)
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
            AddResolved(effects, command, target, target.Text, coversDescendants, uncertain: false);
            return;
        }

        foreach (var folder in directory.Known)
        {
            AddResolved(effects, command, target, Path.Join(folder, target.Text), coversDescendants, uncertain: !directory.IsCertain);
        }

        if (directory.MayBeUnknown)
        {
            effects.Add(new BashEffect(BashEffectKind.FileWrite, command, null, target.Text, coversDescendants, LocationUnknown: true));
        }
    }

    private static void AddResolved(List<BashEffect> effects, string command, ShellWord target, string full, bool coversDescendants, bool uncertain)
    {
        foreach (var match in target.HasGlob ? ExpandGlob(full) : [full])
        {
            effects.Add(new BashEffect(BashEffectKind.FileWrite, command, match, target.Text, coversDescendants, DirectoryUncertain: uncertain));
        }
    }

    /// <summary>Expands a pattern in the last component against the disk; patterns in earlier components are left unknown (null).</summary>
    private static List<string?> ExpandGlob(string full)
    {
        var folder = Path.GetDirectoryName(full);
        var pattern = Path.GetFileName(full);
        if (folder is null || folder.IndexOfAny(['*', '?', '[']) >= 0)
        {
            return [null];
        }

        var matches = Directory.Exists(folder)
            ? Directory.EnumerateFileSystemEntries(folder).Where(entry => GlobPattern.Matches(pattern, Path.GetFileName(entry))).ToList<string?>()
            : [];
        return matches.Count > 0 ? matches : [full]; // bash passes an unmatched pattern on literally
    }
}
