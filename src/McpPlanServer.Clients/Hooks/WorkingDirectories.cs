namespace McpPlanServer.Clients.Hooks;

/// <summary>
/// Where the next command of a Bash call may run. A <c>cd</c> can fail (<c>cd /nonexistent 2&gt;/dev/null; …</c>),
/// run in a subshell (<c>(cd x)</c>, <c>cd x | true</c>, <c>cd x &amp;</c>) or not run at all (<c>false &amp;&amp; cd x; …</c>),
/// so the analysis keeps every folder the shell may be in, and whether it may be somewhere it cannot name
/// (<c>cd $DIR</c>, <c>cd -</c>, <c>popd</c>, <c>source x</c>). A relative target is judged in each of them.
/// </summary>
/// <param name="Known">The absolute folders the shell may be in.</param>
/// <param name="MayBeUnknown">It may also be in a folder the hook cannot name.</param>
internal sealed record WorkingDirectories(IReadOnlyList<string> Known, bool MayBeUnknown)
{
    // More distinct folders than this in one command line is not a real command; give up naming them.
    private const int MaxKnown = 16;

    public static WorkingDirectories Unknown { get; } = new([], true);

    public static WorkingDirectories Single(string? directory) => directory is null ? Unknown : new([directory], false);

    public bool IsCertain => !MayBeUnknown && Known.Count == 1;

    public WorkingDirectories Union(WorkingDirectories other)
    {
        if (ReferenceEquals(this, other))
        {
            return this;
        }

        var known = Known.Concat(other.Known).Distinct(StringComparer.Ordinal).ToList();
        return known.Count > MaxKnown ? Unknown : new WorkingDirectories(known, MayBeUnknown || other.MayBeUnknown);
    }

    /// <summary>The folder a <c>cd</c> (or <c>env -C</c>) to <paramref name="word"/> reaches from each of these; unknown for a variable or a pattern.</summary>
    public WorkingDirectories Resolve(ShellWord word)
    {
        if (word.IsUnresolved || word.HasGlob)
        {
            return Unknown;
        }

        return Path.IsPathRooted(word.Text) ? Single(word.Text) : Select(d => Path.Join(d, word.Text));
    }

    /// <summary>Each folder with <paramref name="resolve"/> applied; a null result means that folder cannot be named.</summary>
    public WorkingDirectories Select(Func<string, string?> resolve)
    {
        var known = new List<string>();
        var unknown = MayBeUnknown;
        foreach (var directory in Known)
        {
            if (resolve(directory) is { } resolved)
            {
                known.Add(resolved);
            }
            else
            {
                unknown = true;
            }
        }

        return new WorkingDirectories(known.Distinct(StringComparer.Ordinal).ToList(), unknown);
    }
}
