using McpPlanServer.Core.Records;

namespace McpPlanServer.Storage;

/// <summary>
/// Follows the journal's hash chain line by line, whatever holds the lines (a file or a table): a chained line whose
/// link is not the hash of the line before it, or an unlinked line after the chain began, is a break.
/// </summary>
public sealed class JournalChain
{
    private readonly List<JournalLine> lines = [];
    private readonly List<JournalLine> breaks = [];
    private string previous = JsonlJournal.Genesis;
    private bool chained;

    public void Add(int number, JournalEntry entry, string sha256)
    {
        var line = new JournalLine(number, entry, sha256);
        lines.Add(line);
        if (entry.PreviousSha256 is { } link ? link != previous : chained)
        {
            breaks.Add(line);
        }

        chained |= entry.PreviousSha256 is not null;
        previous = sha256;
    }

    /// <summary>The lines so far, as a copy: the chain may go on growing after it is taken.</summary>
    public JournalScan Scan() => new([.. lines], [.. breaks]);

    /// <summary>The chain so far, to go on from in another place (a checkpoint, and the scan that continues it).</summary>
    public JournalChain Copy()
    {
        var copy = new JournalChain { previous = previous, chained = chained };
        copy.lines.AddRange(lines);
        copy.breaks.AddRange(breaks);
        return copy;
    }
}
