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

    public JournalScan Scan() => new(lines, breaks);
}
