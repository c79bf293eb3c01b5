namespace McpPlanServer.Clients.Init;

/// <summary>
/// Keeps mcpplan's <c>.gitignore</c> entries in one block under a <c># mcpplan</c> comment: missing entries are
/// added there, nothing outside the block is ever touched. By default the per-session state (Review, Active,
/// records, journal) stays out of git, as in the seed workflow; with <c>--share</c> only the lock and temp
/// files are ignored and the block's other entries are dropped.
/// </summary>
internal static class GitignoreMerger
{
    public const string RelativePath = ".gitignore";
    public const string Heading = "# mcpplan";

    /// <summary>Linked worktrees inside the repository: Claude Code's <c>claude -w NAME</c> and mcpplan's per-plan ones.</summary>
    public const string WorktreesFolder = ".claude/worktrees/";

    // claims.json names this machine's processes and worktrees: per-machine state even when plans are shared.
    public static IReadOnlyList<string> Entries(string plansRoot, bool share) => share
        ? [$"{plansRoot}/.lock", $"{plansRoot}/claims.json", $"{plansRoot}/**/*.tmp", WorktreesFolder]
        :
        [
            $"{plansRoot}/Review/",
            $"{plansRoot}/Active/",
            $"{plansRoot}/.records/",
            $"{plansRoot}/journal.jsonl",
            $"{plansRoot}/{Storage.ObservedEditFile.FileName}", // kept with the journal: shared only when it is
            $"{plansRoot}/.lock",
            $"{plansRoot}/claims.json",
            $"{plansRoot}/**/*.tmp",
            WorktreesFolder,
        ];

    /// <summary>The new text and a description of the change, or the same text and null when nothing changes.</summary>
    public static (string Text, string? Detail) Merge(string? existing, string plansRoot, bool share)
    {
        var newline = existing?.Contains("\r\n", StringComparison.Ordinal) == true ? "\r\n" : "\n";
        var lines = (existing ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
        if (lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1); // the final newline, not a line
        }

        var wanted = Entries(plansRoot, share);
        var unwanted = Entries(plansRoot, share: !share).Except(wanted).Select(Normalize).ToHashSet();
        var heading = lines.FindIndex(line => line.Trim() == Heading);
        var blockEnd = heading < 0 ? -1 : heading + 1;
        var removed = new List<string>();
        while (blockEnd >= 0 && blockEnd < lines.Count && lines[blockEnd].Trim().Length > 0)
        {
            if (unwanted.Contains(Normalize(lines[blockEnd])))
            {
                removed.Add(lines[blockEnd].Trim());
                lines.RemoveAt(blockEnd);
            }
            else
            {
                blockEnd++;
            }
        }

        var present = lines.Select(Normalize).ToHashSet();
        var added = wanted.Where(entry => !present.Contains(Normalize(entry))).ToList();
        if (added.Count == 0 && removed.Count == 0)
        {
            return (existing ?? "", null);
        }

        if (heading >= 0)
        {
            lines.InsertRange(blockEnd, added);
        }
        else
        {
            if (lines.Count > 0 && lines[^1].Trim().Length > 0)
            {
                lines.Add("");
            }

            lines.Add(Heading);
            lines.AddRange(added);
        }

        var detail = string.Join("; ", new[]
        {
            added.Count > 0 ? "adds " + string.Join(", ", added) : null,
            removed.Count > 0 ? "removes " + string.Join(", ", removed) : null,
        }.OfType<string>());
        return (string.Join(newline, lines) + newline, detail);
    }

    // "/x/" and "x/" ignore the same thing for a path with a slash inside.
    private static string Normalize(string line) => line.Trim().TrimStart('/');
}
