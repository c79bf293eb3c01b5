using System.Text;
using System.Text.Json.Nodes;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;
using McpPlanServer.Storage;

namespace McpPlanServer.Tests.Storage;

/// <summary>The journal's chain and the binding of each record revision to its journal line, tried as a hand edit would.</summary>
public sealed class TamperEvidenceTests
{
    private static readonly PlanId Id = PlanId.Parse("greeting");

    internal static JournalEntry Entry(string action, string? plan = "greeting") => new()
    {
        At = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero),
        Actor = "owner",
        Action = action,
        PlanId = plan,
        Outcome = "ok",
        ProcessId = 7,
    };

    internal static PlanRecord Record(long revision, Approval? approval = null) => new()
    {
        Id = Id.Value,
        Revision = revision,
        TextRevision = 1,
        TextSha256 = new string('a', 64),
        Folder = PlanFolder.Review,
        Status = PlanStatus.AwaitingApproval,
        Approval = approval,
    };

    private static string Sha(string line) => JsonlJournal.LineSha256(Encoding.UTF8.GetBytes(line));

    [Fact]
    public void Each_line_links_to_the_one_before_and_the_first_to_the_genesis()
    {
        using var folder = new TempFolder();
        var journal = new JsonlJournal(folder.PathOf("journal.jsonl"));

        var first = journal.Append(Entry("a"));
        var second = journal.Append(Entry("b"));
        journal.Append(Entry("c"));

        var lines = File.ReadAllLines(journal.Path);
        Assert.Equal(JsonlJournal.Genesis, JsonNode.Parse(lines[0])!["previousSha256"]!.GetValue<string>());
        Assert.Equal(first, JsonNode.Parse(lines[1])!["previousSha256"]!.GetValue<string>());
        Assert.Equal(second, JsonNode.Parse(lines[2])!["previousSha256"]!.GetValue<string>());
        Assert.Equal(Sha(lines[0]), first);
        Assert.Empty(journal.Scan().Breaks);
    }

    [Fact]
    public void An_unchained_legacy_prefix_is_accepted_and_the_chain_starts_after_it()
    {
        using var folder = new TempFolder();
        var legacy = """{"at":"2026-11-01T10:00:00+00:00","actor":"planner","action":"write_plan","planId":"greeting","outcome":"ok","revision":1,"processId":1}""";
        File.WriteAllText(folder.PathOf("journal.jsonl"), legacy + "\n" + legacy.Replace("\"revision\":1", "\"revision\":2", StringComparison.Ordinal) + "\n");
        var journal = new JsonlJournal(folder.PathOf("journal.jsonl"));

        journal.Append(Entry("approve"));

        var lines = File.ReadAllLines(journal.Path);
        Assert.Equal(Sha(lines[1]), JsonNode.Parse(lines[2])!["previousSha256"]!.GetValue<string>());
        Assert.Empty(journal.Scan().Breaks);
    }

    [Fact]
    public void A_line_appended_by_hand_breaks_the_chain_where_it_stands_and_later_lines_chain_on()
    {
        using var folder = new TempFolder();
        var journal = new JsonlJournal(folder.PathOf("journal.jsonl"));
        journal.Append(Entry("write_plan"));
        File.AppendAllText(journal.Path, """{"at":"2026-12-01T10:00:00+00:00","actor":"owner","action":"approve","planId":"greeting","outcome":"ok","processId":1}""" + "\n");
        journal.Append(Entry("commit_step"));

        var broken = Assert.Single(journal.Scan().Breaks);

        Assert.Equal(2, broken.Number);
        Assert.Equal("approve", broken.Entry.Action);
    }

    [Fact]
    public void A_line_changed_by_hand_breaks_the_chain_at_the_next_line()
    {
        using var folder = new TempFolder();
        var journal = new JsonlJournal(folder.PathOf("journal.jsonl"));
        journal.Append(Entry("write_plan") with { Outcome = "refused" });
        journal.Append(Entry("approve"));
        journal.Append(Entry("commit_step"));
        var text = File.ReadAllText(journal.Path);
        File.WriteAllText(journal.Path, text.Replace("\"refused\"", "\"ok\"", StringComparison.Ordinal));

        Assert.Equal(2, Assert.Single(journal.Scan().Breaks).Number);
    }

    [Fact]
    public void After_a_torn_tail_is_cut_the_next_line_chains_onto_the_last_whole_line()
    {
        using var folder = new TempFolder();
        var journal = new JsonlJournal(folder.PathOf("journal.jsonl"));
        var last = journal.Append(Entry("a"));
        File.AppendAllText(journal.Path, "{\"at\":\"2026-12-01T10:00:00+00:00\",\"act");
        journal.Repair();

        journal.Append(Entry("b"));

        Assert.Equal(last, JsonNode.Parse(File.ReadAllLines(journal.Path)[1])!["previousSha256"]!.GetValue<string>());
        Assert.Empty(journal.Scan().Breaks);
    }

    [Fact]
    public void Concurrent_appenders_under_the_lock_keep_one_unbroken_chain()
    {
        using var folder = new TempFolder();
        var store = new FilePlanStore(folder.Root, new PlanServerConfig());
        Parallel.For(0, 40, new ParallelOptions { MaxDegreeOfParallelism = 4 }, number =>
        {
            using (store.AcquireLock())
            {
                store.AppendJournal(Entry($"append-{number}"));
            }
        });

        var scan = new JsonlJournal(store.JournalPath).Scan();

        Assert.Equal(40, scan.Lines.Count);
        Assert.Empty(scan.Breaks);
    }

    [Fact]
    public void A_record_written_by_the_store_is_bound_and_one_edited_by_hand_is_found()
    {
        using var folder = new TempFolder();
        var store = new FilePlanStore(folder.Root, new PlanServerConfig());
        store.WriteRecord(Record(1), Entry("write_plan"));
        store.WriteRecord(Record(2, new Approval(new string('a', 64), 1, "Ada", DateTimeOffset.UnixEpoch, null, ApprovalChannels.Cli)), Entry("approve"));
        Assert.Empty(store.CheckIntegrity(Id));

        // The approval's hash rewritten to match an edited text, as an agent would.
        var path = Path.Combine(store.RootPath, ".records", "greeting.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace(new string('a', 64), new string('b', 64), StringComparison.Ordinal));

        var finding = Assert.Single(store.CheckIntegrity(Id));
        Assert.True(finding.RecordChanged);
        Assert.Contains("edited by hand", finding.What);
        Assert.Contains("approval cannot be trusted", finding.What);
    }

    [Fact]
    public void A_record_whose_revision_was_raised_by_hand_is_found()
    {
        using var folder = new TempFolder();
        var store = new FilePlanStore(folder.Root, new PlanServerConfig());
        store.WriteRecord(Record(1), Entry("write_plan"));
        store.WriteRecord(Record(2), Entry("revise"));
        var path = Path.Combine(store.RootPath, ".records", "greeting.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"revision\": 2", "\"revision\": 3", StringComparison.Ordinal));

        Assert.Contains("which no journal line recorded", Assert.Single(store.CheckIntegrity(Id)).What);
    }

    [Fact]
    public void A_legacy_record_and_a_record_whose_write_a_crash_lost_are_accepted()
    {
        using var folder = new TempFolder();
        var store = new FilePlanStore(folder.Root, new PlanServerConfig());
        Directory.CreateDirectory(Path.Combine(store.RootPath, ".records"));
        File.WriteAllText(Path.Combine(store.RootPath, ".records", "greeting.json"), """{"id":"greeting","revision":4,"textRevision":1,"textSha256":"aa"}""");
        Assert.Empty(store.CheckIntegrity(Id));

        // The next change's line was appended, then the process died before the record was written.
        using (store.AcquireLock())
        {
            store.AppendJournal(Entry("approve") with { Revision = 5, RecordSha256 = new string('c', 64) });
        }

        Assert.Empty(store.CheckIntegrity(Id));
    }

    [Fact]
    public void A_break_without_a_plan_concerns_every_plan_until_a_repair_line_covers_it()
    {
        using var folder = new TempFolder();
        var store = new FilePlanStore(folder.Root, new PlanServerConfig());
        store.WriteRecord(Record(1), Entry("write_plan"));
        File.AppendAllText(store.JournalPath, """{"at":"2026-12-01T10:00:00+00:00","actor":"owner","action":"note","outcome":"ok","processId":1}""" + "\n");
        Assert.Single(store.CheckIntegrity(Id));
        Assert.Single(store.CheckIntegrity(PlanId.Parse("other")));

        store.WriteRecord(Record(2), Entry("repair") with { RepairedThrough = 2 });

        Assert.Empty(store.CheckIntegrity(Id));
        Assert.Empty(store.CheckIntegrity(null));
    }
}
