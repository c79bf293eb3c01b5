using System.Text;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;

namespace McpPlanServer.Tests.Storage;

public sealed class JsonlJournalTests
{
    private static JournalEntry Entry(int number) => new()
    {
        At = new DateTimeOffset(2026, 11, 24, 10, 0, number % 60, TimeSpan.Zero),
        Actor = "planner",
        Action = "write_plan",
        PlanId = $"plan-{number}",
        Outcome = "ok",
        Detail = $"entry {number}",
        Revision = number,
        ProcessId = 42,
    };

    private static JsonlJournal JournalWithEntries(TempFolder folder, int count)
    {
        var journal = new JsonlJournal(folder.PathOf("journal.jsonl"));
        for (var i = 1; i <= count; i++)
        {
            journal.Append(Entry(i));
        }

        return journal;
    }

    [Fact]
    public void Appended_entries_read_back_in_order_one_line_each()
    {
        using var folder = new TempFolder();
        var journal = JournalWithEntries(folder, 3);

        Assert.Equal(["plan-1", "plan-2", "plan-3"], journal.ReadAll().Select(entry => entry.PlanId));
        Assert.Equal(3, File.ReadAllLines(journal.Path).Length);
        Assert.Equal(0, journal.Repair());
    }

    [Theory]
    [InlineData("{\"at\":\"2026-11-24T10:00:00+00:00\",\"actor\":\"plan")]
    [InlineData("\u0001\u0002 garbage that is not JSON at all")]
    [InlineData("garbage that is not JSON at all\n")]
    [InlineData("{}\n")]
    public void Repair_cuts_a_torn_or_garbage_tail_and_keeps_every_good_entry(string tail)
    {
        using var folder = new TempFolder();
        var journal = JournalWithEntries(folder, 3);
        var goodLength = new FileInfo(journal.Path).Length;
        File.AppendAllText(journal.Path, tail);

        var dropped = journal.Repair();

        Assert.Equal(Encoding.UTF8.GetByteCount(tail), dropped);
        Assert.Equal(goodLength, new FileInfo(journal.Path).Length);
        Assert.Equal(["plan-1", "plan-2", "plan-3"], journal.ReadAll().Select(entry => entry.PlanId));

        journal.Append(Entry(4));
        Assert.Equal(["plan-1", "plan-2", "plan-3", "plan-4"], journal.ReadAll().Select(entry => entry.PlanId));
    }

    [Fact]
    public void Repair_keeps_a_complete_last_entry_that_lost_only_its_newline_and_restores_the_newline()
    {
        using var folder = new TempFolder();
        var journal = JournalWithEntries(folder, 3);
        var bytes = File.ReadAllBytes(journal.Path);
        File.WriteAllBytes(journal.Path, bytes[..^1]);
        Assert.Equal(3, journal.ReadAll().Count);

        journal.Repair();

        Assert.Equal(bytes, File.ReadAllBytes(journal.Path));
        journal.Append(Entry(4));
        Assert.Equal(["plan-1", "plan-2", "plan-3", "plan-4"], journal.ReadAll().Select(entry => entry.PlanId));
    }

    [Theory]
    [InlineData("{\"at\":\"2026-11-24T10:00:00+00:00\",\"actor\":\"plan")]
    [InlineData("garbage")]
    public void An_append_after_a_torn_tail_that_no_start_repaired_cuts_it_first_so_no_bad_line_is_buried(string tail)
    {
        using var folder = new TempFolder();
        var journal = JournalWithEntries(folder, 2);
        File.AppendAllText(journal.Path, tail);

        journal.Append(Entry(3));

        Assert.Equal(["plan-1", "plan-2", "plan-3"], journal.ReadAll().Select(entry => entry.PlanId));
        Assert.Empty(journal.Scan().Breaks);
        Assert.Equal(3, File.ReadAllLines(journal.Path).Length);
    }

    [Fact]
    public void A_torn_tail_is_tolerated_by_read_all_before_the_repair()
    {
        using var folder = new TempFolder();
        var journal = JournalWithEntries(folder, 2);
        File.AppendAllText(journal.Path, "{\"at\":");

        Assert.Equal(["plan-1", "plan-2"], journal.ReadAll().Select(entry => entry.PlanId));
    }

    [Fact]
    public void A_corrupt_middle_line_is_reported_with_its_line_number_and_not_repaired_away()
    {
        using var folder = new TempFolder();
        var journal = JournalWithEntries(folder, 3);
        var lines = File.ReadAllLines(journal.Path);
        lines[1] = "this line was damaged by hand";
        File.WriteAllLines(journal.Path, lines);
        var before = File.ReadAllBytes(journal.Path);

        Assert.Equal(0, journal.Repair());
        Assert.Equal(before, File.ReadAllBytes(journal.Path));

        var refusal = Assert.Throws<PlanRefusedException>(() => journal.ReadAll());
        Assert.Equal("journal_corrupt", refusal.Code);
        Assert.Contains("Line 2 ", refusal.Message);
        Assert.Contains(journal.Path, refusal.Message);
    }

    [Fact]
    public void Repair_of_a_missing_or_empty_journal_does_nothing()
    {
        using var folder = new TempFolder();
        var journal = new JsonlJournal(folder.PathOf("journal.jsonl"));
        Assert.Equal(0, journal.Repair());
        Assert.False(File.Exists(journal.Path));

        File.WriteAllText(journal.Path, string.Empty);
        Assert.Equal(0, journal.Repair());
        Assert.Empty(journal.ReadAll());
    }
}
