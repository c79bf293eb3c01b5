using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;
using McpPlanServer.Storage;

namespace McpPlanServer.Tests.Storage;

/// <summary>
/// The journal scan resumes from its checkpoint (only new lines are parsed), and a journal edited, cut or rearranged
/// behind the checkpoint by hand is still found exactly as a scan from the first line finds it: the same process that
/// checked before the edit refuses after it.
/// </summary>
public sealed class JournalCheckpointTests : IDisposable
{
    private const int Writes = 30;
    private static readonly PlanId Id = PlanId.Parse("greeting");
    private readonly TempFolder folder = new();
    private readonly FilePlanStore store;

    public JournalCheckpointTests()
    {
        store = new FilePlanStore(folder.Root, new PlanServerConfig());
        for (var revision = 1; revision <= Writes; revision++)
        {
            store.WriteRecord(Record(revision), Entry(revision % 2 == 0 ? "commit_step" : "write_plan"));
        }
    }

    public void Dispose() => folder.Dispose();

    private static JournalEntry Entry(string action) => TamperEvidenceTests.Entry(action);

    private static PlanRecord Record(long revision) => TamperEvidenceTests.Record(revision);

    [Fact]
    public void A_scan_after_the_checkpoint_parses_only_the_new_lines_and_equals_a_scan_from_the_first_line()
    {
        var journal = new JsonlJournal(store.JournalPath);
        Assert.Equal(Writes, journal.Scan().Lines.Count);
        Assert.Equal(Writes, journal.ParsedLines);

        store.WriteRecord(Record(Writes + 1), Entry("approve"));
        store.WriteRecord(Record(Writes + 2), Entry("commit_step"));
        var resumed = journal.Scan();

        Assert.Equal(Writes + 2, journal.ParsedLines);
        Assert.Equal(Describe(new JsonlJournal(store.JournalPath).Scan()), Describe(resumed));
        Assert.Empty(resumed.Breaks);
    }

    /// <summary>An unended last line is read but kept out of the checkpoint: once it is ended and followed, the scan still
    /// equals one from the first line.</summary>
    [Fact]
    public void A_last_line_without_its_newline_is_not_taken_behind_the_checkpoint()
    {
        var journal = new JsonlJournal(store.JournalPath);
        var text = File.ReadAllText(store.JournalPath);
        File.WriteAllText(store.JournalPath, text.TrimEnd('\n'));
        Assert.Equal(Writes, journal.Scan().Lines.Count);

        File.WriteAllText(store.JournalPath, text);
        store.WriteRecord(Record(Writes + 1), Entry("approve"));

        Assert.Equal(Describe(new JsonlJournal(store.JournalPath).Scan()), Describe(journal.Scan()));
    }

    public static TheoryData<string> HandEdits() => ["same-length edit", "edit", "line removed", "line inserted", "lines swapped", "tail cut", "replaced by a longer journal"];

    /// <summary>The store checked the whole journal (its checkpoint now covers every line); then a line behind the checkpoint
    /// is changed by hand. The same store, in the same process, must refuse as a fresh one does.</summary>
    [Theory]
    [MemberData(nameof(HandEdits))]
    public void An_edit_behind_the_checkpoint_is_found_as_a_fresh_scan_finds_it(string edit)
    {
        Assert.Empty(store.CheckIntegrity(Id));
        var lines = File.ReadAllLines(store.JournalPath).ToList();
        switch (edit)
        {
            case "same-length edit":
                lines[4] = lines[4].Replace("\"actor\":\"owner\"", "\"actor\":\"agent\"", StringComparison.Ordinal);
                break;
            case "edit":
                lines[4] = lines[4].Replace("\"actor\":\"owner\"", "\"actor\":\"person\"", StringComparison.Ordinal);
                break;
            case "line removed":
                lines.RemoveAt(4);
                break;
            case "line inserted":
                lines.Insert(4, lines[4]);
                break;
            case "lines swapped":
                (lines[4], lines[5]) = (lines[5], lines[4]);
                break;
            case "tail cut":
                lines.RemoveRange(lines.Count - 2, 2);
                break;
            default:
                lines.Insert(4, lines[3]);
                lines.Add(lines[^1]);
                break;
        }

        File.WriteAllLines(store.JournalPath, lines);

        var fresh = new FilePlanStore(folder.Root, new PlanServerConfig()).CheckIntegrity(Id).Select(finding => finding.What).ToList();
        Assert.NotEmpty(fresh);
        Assert.Equal(fresh, store.CheckIntegrity(Id).Select(finding => finding.What));

        // After one more change, still what a fresh process finds (a cut tail followed by a new line is, for the chain itself,
        // indistinguishable from a journal that never had those lines: the same for either).
        store.WriteRecord(Record(Writes + 1), Entry("approve"));
        Assert.Equal(
            new FilePlanStore(folder.Root, new PlanServerConfig()).CheckIntegrity(Id).Select(finding => finding.What),
            store.CheckIntegrity(Id).Select(finding => finding.What));
    }

    private static string Describe(JournalScan scan) =>
        string.Join('\n', scan.Lines.Select(line => $"{line.Number} {line.Sha256}")) + "\nbreaks " + string.Join(',', scan.Breaks.Select(line => line.Number));
}
