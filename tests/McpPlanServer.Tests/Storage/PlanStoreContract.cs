using System.Collections.Concurrent;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;
using McpPlanServer.Tests.Workflow;

namespace McpPlanServer.Tests.Storage;

/// <summary>
/// What every plan store must do, run against each store (files, PostgreSQL): texts, moves, records refusing stale
/// writers, the chained journal, claims, and under contention from many store instances (each its own connection or
/// file handle, as separate processes have) no double claim, no lost update and a journal that still checks clean.
/// </summary>
public abstract class PlanStoreContract : IDisposable
{
    protected const string Text = "# Plan: Contract\n\n## Summary\nS\n\n## Implementation Steps\n- [ ] one\n\n## Success Criteria\nok\n";

    /// <summary>A new store instance on the same storage (another process, as far as the store can tell).</summary>
    protected IPlanStore Open() => Open(new PlanServerConfig());

    /// <summary>As <see cref="Open()"/>, with this config (a smaller size limit).</summary>
    protected abstract IPlanStore Open(PlanServerConfig config);

    /// <summary>Overwrites the plan's stored record with bytes that are not a record, as a hand edit gone wrong would.</summary>
    protected abstract void SpoilRecord(PlanId id);

    public abstract void Dispose();

    internal static PlanRecord Record(string id, long revision) => new()
    {
        Id = id,
        Revision = revision,
        TextSha256 = PlanText.Sha256Hex(Text),
        Folder = PlanFolder.Review,
        Status = PlanStatus.AwaitingApproval,
        Title = $"revision {revision}",
    };

    internal static JournalEntry Entry(string action, string? plan = null) => new()
    {
        At = DateTimeOffset.UtcNow,
        Actor = "planner",
        Action = action,
        PlanId = plan,
        Outcome = "ok",
        ProcessId = Environment.ProcessId,
    };

    protected static void WriteRecord(IPlanStore store, PlanRecord record)
    {
        using (store.AcquireLock())
        {
            store.WriteRecord(record, Entry("write_plan", record.Id));
        }
    }

    [Fact]
    public void A_text_is_read_back_as_written_and_moves_between_states()
    {
        var store = Open();
        var id = PlanId.Parse("contract-text");
        using (store.AcquireLock())
        {
            store.WriteText(id, PlanFolder.Review, Text);
        }

        Assert.Equal(PlanFolder.Review, store.Locate(id)?.Folder);
        Assert.Equal(Text, store.ReadText(store.Locate(id)!));
        using (store.AcquireLock())
        {
            store.Move(id, PlanFolder.Review, PlanFolder.Active);
        }

        var other = Open();
        Assert.Equal(PlanFolder.Active, Assert.Single(other.ListPlans()).Folder);
        Assert.Equal(Text, other.ReadText(other.Locate(id)!));
        Assert.Null(other.Locate(PlanId.Parse("contract-missing")));
    }

    /// <summary>Writes a plan's text and its record at revision 1, as one change.</summary>
    internal static void WritePlan(IPlanStore store, PlanId id, PlanFolder folder, string text = Text)
    {
        using (store.AcquireLock())
        {
            store.WriteText(id, folder, text);
            store.WriteRecord(Record(id.Value, 1), Entry("write_plan", id.Value));
        }
    }

    /// <summary>The plan as the three separate reads give it (null: no such plan).</summary>
    internal static StoredPlan? ReadSeparately(IPlanStore store, PlanId id) =>
        store.Locate(id) is { } location ? new StoredPlan(location, store.ReadText(location), store.ReadRecord(id)) : null;

    /// <summary>Both reads of the plan, records compared by their stored bytes (a record's lists compare by reference).</summary>
    internal static void AssertSameRead(StoredPlan? expected, StoredPlan? actual)
    {
        Assert.Equal(expected?.Location, actual?.Location);
        Assert.Equal(expected?.Text, actual?.Text);
        Assert.Equal(expected?.Record is { } record ? StoredJson.Record(record) : null, actual?.Record is { } read ? StoredJson.Record(read) : null);
    }

    [Fact]
    public void A_plan_read_whole_has_the_location_text_and_record_the_separate_reads_give_and_none_is_null()
    {
        var writer = Open();
        var recorded = PlanId.Parse("whole-recorded");
        var placed = PlanId.Parse("whole-placed");
        WritePlan(writer, recorded, PlanFolder.Review);
        using (writer.AcquireLock())
        {
            writer.WriteText(placed, PlanFolder.Review, Text + "placed by hand\n");
            writer.Move(placed, PlanFolder.Review, PlanFolder.Active);
        }

        var reader = Open();
        var whole = reader.ReadPlan(recorded)!;
        Assert.Equal((PlanFolder.Review, Text, 1L, "revision 1"), (whole.Location.Folder, whole.Text, whole.Record!.Revision, whole.Record.Title));
        AssertSameRead(ReadSeparately(reader, recorded), whole);

        var withoutRecord = reader.ReadPlan(placed)!;
        Assert.Equal((PlanFolder.Active, Text + "placed by hand\n"), (withoutRecord.Location.Folder, withoutRecord.Text));
        Assert.Null(withoutRecord.Record);
        AssertSameRead(ReadSeparately(reader, placed), withoutRecord);

        Assert.Null(reader.ReadPlan(PlanId.Parse("whole-missing")));
    }

    [Fact]
    public void A_plan_read_whole_refuses_a_record_that_does_not_parse_and_a_text_over_the_size_limit_as_the_separate_reads_do()
    {
        var store = Open();
        var spoiled = PlanId.Parse("whole-spoiled");
        var large = PlanId.Parse("whole-large");
        WritePlan(store, spoiled, PlanFolder.Review);
        WritePlan(store, large, PlanFolder.Review, Text + new string('x', 2000));

        SpoilRecord(spoiled);
        Assert.Equal(RefusalCodes.RecordCorrupt, Assert.Throws<PlanRefusedException>(() => store.ReadPlan(spoiled)).Code);
        Assert.Equal(RefusalCodes.RecordCorrupt, Assert.Throws<PlanRefusedException>(() => store.ReadRecord(spoiled)).Code);

        var limited = Open(new PlanServerConfig { MaxPlanBytes = 1000 });
        var refusal = Assert.Throws<PlanRefusedException>(() => limited.ReadPlan(large));
        Assert.Equal(RefusalCodes.PlanTooLarge, refusal.Code);
        Assert.Equal(refusal.Message, Assert.Throws<PlanRefusedException>(() => limited.ReadText(limited.Locate(large)!)).Message);
    }

    [Fact]
    public void A_plan_read_whole_inside_a_change_sees_the_changes_own_writes()
    {
        var store = Open();
        var id = PlanId.Parse("whole-in-change");
        using (store.AcquireLock())
        {
            store.WriteText(id, PlanFolder.Review, Text);
            Assert.Null(store.ReadPlan(id)!.Record);
            store.WriteRecord(Record(id.Value, 1), Entry("write_plan", id.Value));
            store.Move(id, PlanFolder.Review, PlanFolder.Active);
            store.WriteText(id, PlanFolder.Active, Text + "revised\n");
            var read = store.ReadPlan(id)!;
            Assert.Equal((PlanFolder.Active, Text + "revised\n", 1L), (read.Location.Folder, read.Text, read.Record!.Revision));
            AssertSameRead(ReadSeparately(store, id), read);
        }

        AssertSameRead(ReadSeparately(Open(), id), Open().ReadPlan(id));
    }

    [Fact]
    public void Records_follow_their_revisions_and_a_stale_writer_is_refused_with_nothing_changed()
    {
        var first = Open();
        var second = Open();
        WriteRecord(first, Record("contract-record", 1));
        WriteRecord(second, Record("contract-record", 2));

        var stale = Assert.Throws<PlanRefusedException>(() => WriteRecord(first, Record("contract-record", 2) with { Title = "lost" }));

        Assert.Equal("stale_revision", stale.Code);
        var stored = first.ReadRecord(PlanId.Parse("contract-record"))!;
        Assert.Equal((2L, "revision 2"), (stored.Revision, stored.Title));
        Assert.Equal(2, first.ReadJournal().Count(line => line.PlanId == "contract-record" && line.RecordSha256 is not null));
        Assert.Empty(first.CheckIntegrity(null));
    }

    [Fact]
    public void Acceptance_files_are_kept_per_plan_with_their_revision_and_replaced_whole()
    {
        var writer = Open();
        var id = PlanId.Parse("contract-acceptance");
        var test = new AcceptanceFile("tests/done_test.py", "def test_done():\n    assert \"é✓\" == \"é✓\"\n", "sha-one");
        Assert.Equal(0, writer.ReadAcceptance(id).Revision);
        Assert.Empty(writer.ReadAcceptance(id).Files);
        using (writer.AcquireLock())
        {
            writer.WriteAcceptance(id, new AcceptanceSet(1, [test]));
        }

        var reader = Open();
        var first = reader.ReadAcceptance(id);
        Assert.Equal(1, first.Revision);
        Assert.Equal(test, Assert.Single(first.Files));
        var second = new AcceptanceFile("tests/more_test.py", "x = 1\n", "sha-two");
        using (reader.AcquireLock())
        {
            reader.WriteAcceptance(id, new AcceptanceSet(2, [second]));
        }

        var replaced = writer.ReadAcceptance(id);
        Assert.Equal(2, replaced.Revision);
        Assert.Equal(second, Assert.Single(replaced.Files));
        Assert.Empty(writer.ReadAcceptance(PlanId.Parse("contract-other")).Files);
    }

    [Fact]
    public void Journal_lines_are_chained_in_order()
    {
        var store = Open();
        foreach (var action in new[] { "one", "two", "three" })
        {
            using (store.AcquireLock())
            {
                store.AppendJournal(Entry(action));
            }
        }

        var lines = Open().ReadJournal();
        Assert.Equal(["one", "two", "three"], lines.Select(line => line.Action));
        Assert.All(lines, line => Assert.NotNull(line.PreviousSha256));
        Assert.Equal(new string('0', 64), lines[0].PreviousSha256);
        Assert.Empty(store.CheckIntegrity(null));
    }

    [Fact]
    public async Task Lines_appended_alone_by_many_writers_at_once_keep_one_chain()
    {
        const int Writers = 6;
        const int Lines = 10;
        var workers = Enumerable.Range(0, Writers).Select(writer => Task.Factory.StartNew(
            () =>
            {
                var store = Open();
                for (var line = 0; line < Lines; line++)
                {
                    store.AppendJournalAlone(Entry($"refused-{writer}-{line}") with { Outcome = "refused" });
                }
            },
            TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(workers);

        var reader = Open();
        Assert.Equal(Writers * Lines, reader.ReadJournal().Count);
        Assert.Equal(Writers * Lines, reader.ReadJournal().Select(line => line.Action).Distinct().Count());
        Assert.Empty(reader.CheckIntegrity(null));
    }

    [Fact]
    public void Claims_are_replaced_as_a_book_and_the_fence_counter_is_kept()
    {
        var store = Open();
        var now = DateTimeOffset.UtcNow;
        var a = new Claim("contract-a", 1, "s1", 1, "host", "/w", now, now);
        var b = new Claim("contract-b", 2, "s2", 2, "host", "/w", now, now);
        using (store.AcquireLock())
        {
            store.WriteClaims(new ClaimBook(2, [a, b]));
        }

        using (store.AcquireLock())
        {
            var book = store.ReadClaims();
            store.WriteClaims(book with { Claims = [.. book.Claims.Where(claim => claim.PlanId != "contract-a")] });
        }

        var read = Open().ReadClaims();
        Assert.Equal(2, read.LastFence);
        Assert.Equal([b], read.Claims);
    }

    [Fact]
    public async Task Many_writers_claiming_at_once_never_both_hold_a_plan_and_every_fence_is_new()
    {
        const int Writers = 8;
        const int Rounds = 15;
        var holding = new int[3];
        var doubleHolds = 0;
        var fences = new ConcurrentBag<long>();
        var workers = Enumerable.Range(0, Writers).Select(writer => Task.Factory.StartNew(
            () =>
            {
                var store = Open();
                for (var round = 0; round < Rounds; round++)
                {
                    var plan = (writer + round) % holding.Length;
                    var session = $"s{writer}";
                    Claim? granted = null;
                    using (store.AcquireLock())
                    {
                        var book = store.ReadClaims();
                        if (book.Claims.All(claim => claim.PlanId != $"p{plan}"))
                        {
                            granted = new Claim($"p{plan}", book.LastFence + 1, session, Environment.ProcessId, "host", "/w", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
                            store.WriteClaims(new ClaimBook(granted.Fence, [.. book.Claims, granted]));
                        }
                    }

                    if (granted is null)
                    {
                        continue;
                    }

                    fences.Add(granted.Fence);
                    if (Interlocked.Increment(ref holding[plan]) > 1)
                    {
                        Interlocked.Increment(ref doubleHolds);
                    }

                    Thread.Sleep(1);
                    Interlocked.Decrement(ref holding[plan]);
                    using (store.AcquireLock())
                    {
                        var book = store.ReadClaims();
                        store.WriteClaims(book with { Claims = [.. book.Claims.Where(claim => claim.Fence != granted.Fence)] });
                    }
                }
            },
            TaskCreationOptions.LongRunning)).ToArray();

        await Task.WhenAll(workers);

        Assert.Equal(0, doubleHolds);
        Assert.NotEmpty(fences);
        Assert.Equal(fences.Count, fences.Distinct().Count());
        var final = Open().ReadClaims();
        Assert.Empty(final.Claims);
        Assert.Equal(fences.Max(), final.LastFence);
    }

    [Fact]
    public async Task A_change_that_lets_go_of_its_lock_keeps_what_it_wrote_and_carries_on_after_another_change()
    {
        var store = Open();
        var other = Open();
        var id = PlanId.Parse("contract-release");
        Task claiming;
        using (store.AcquireLock())
        {
            store.WriteRecord(Record(id.Value, 1), Entry("commit_intent", id.Value));
            using (var outside = store.ReleaseDuring())
            {
                // Another machine claims a plan meanwhile: with a store that lets go (PostgreSQL) it runs now, with one that
                // keeps its lock (files) it waits until this change ends. Either way nothing is lost or interleaved.
                claiming = Task.Factory.StartNew(
                    () =>
                    {
                        using (other.AcquireLock())
                        {
                            var book = other.ReadClaims();
                            var claim = new Claim("contract-other", book.LastFence + 1, "s2", 2, "host", "/w", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
                            other.WriteClaims(new ClaimBook(claim.Fence, [.. book.Claims, claim]));
                        }
                    },
                    TaskCreationOptions.LongRunning);
                if (outside is not LockKept)
                {
                    Assert.True(SpinWait.SpinUntil(() => claiming.IsCompleted, TimeSpan.FromSeconds(60)), "the other change waited for a change that had let go of its lock");
                    Assert.Equal(1, other.ReadRecord(id)?.Revision);
                }
            }

            Assert.Equal(1, store.ReadRecord(id)?.Revision);
            store.WriteRecord(Record(id.Value, 2), Entry("commit_step", id.Value));
        }

        await claiming.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        var reader = Open();
        Assert.Equal("contract-other", Assert.Single(reader.ReadClaims().Claims).PlanId);
        Assert.Equal(2, reader.ReadRecord(id)!.Revision);
        Assert.Equal(["commit_intent", "commit_step"], reader.ReadJournal().Select(line => line.Action));
        Assert.Empty(reader.CheckIntegrity(null));
    }

    [Fact]
    public async Task Many_writers_updating_one_record_lose_no_update_and_the_journal_checks_clean()
    {
        const int Writers = 6;
        const int Updates = 10;
        var id = PlanId.Parse("contract-counter");
        var workers = Enumerable.Range(0, Writers).Select(_ => Task.Factory.StartNew(
            () =>
            {
                var store = Open();
                for (var update = 0; update < Updates; update++)
                {
                    using (store.AcquireLock())
                    {
                        var revision = store.ReadRecord(id)?.Revision ?? 0;
                        store.WriteRecord(Record(id.Value, revision + 1), Entry("report_progress", id.Value));
                    }
                }
            },
            TaskCreationOptions.LongRunning)).ToArray();

        await Task.WhenAll(workers);

        var reader = Open();
        Assert.Equal(Writers * Updates, reader.ReadRecord(id)!.Revision);
        Assert.Equal(Enumerable.Range(1, Writers * Updates).Select(revision => (long?)revision), reader.ReadJournal().Select(line => line.Revision));
        Assert.Empty(reader.CheckIntegrity(null));
    }
    private static PlanWorkflow Workflow(IPlanStore store) => new(store, new PlanServerConfig(), null, null, TimeProvider.System);

    private static PlanPage[] Pages(PlanWorkflow workflow) =>
        [workflow.ListPlans(null, 0, 100), workflow.ListPlans(null, 5, 5), workflow.ListPlans(PlanFolder.Completed, 0, 100)];

    [Fact]
    public void A_listing_kept_across_calls_equals_a_fresh_processs_listing_after_another_process_changed_plans()
    {
        var listing = Workflow(Open());
        var other = Workflow(Open());
        for (var i = 0; i < 12; i++)
        {
            other.WritePlan(Actor.Planner, $"listed-{i:00}", WorkflowRepository.PlanText, null);
        }

        var before = Pages(listing);
        Assert.Equal(12, before[0].Total);
        Assert.Equal(Pages(Workflow(Open())).Select(page => page.Plans), before.Select(page => page.Plans));
        Assert.Equal(before.Select(page => page.Plans), Pages(listing).Select(page => page.Plans));

        // Another process adds a plan, rewrites one and a person moves one by hand (the record lags its folder).
        other.WritePlan(Actor.Planner, "listed-new", WorkflowRepository.PlanText, null);
        other.WritePlan(Actor.Planner, "listed-03", WorkflowRepository.PlanText.Replace("# Plan: Value file", "# Plan: Value file, second draft", StringComparison.Ordinal), 1);
        var mover = Open();
        using (mover.AcquireLock())
        {
            mover.Move(PlanId.Parse("listed-07"), PlanFolder.Review, PlanFolder.Completed);
        }

        var after = Pages(listing);
        Assert.Equal(Pages(Workflow(Open())).Select(page => page.Plans), after.Select(page => page.Plans));
        Assert.Equal(13, after[0].Total);
        Assert.Contains(after[0].Plans, plan => plan.Id == "listed-03" && plan.Title == "Value file, second draft");
        Assert.Equal("listed-07", Assert.Single(after[2].Plans).Id);
    }

    [Fact]
    public void A_claim_on_a_plan_another_session_holds_is_refused_from_the_claims_alone_without_the_lock_or_the_plan()
    {
        var owner = Workflow(Open());
        owner.WritePlan(Actor.Planner, "held", WorkflowRepository.PlanText, null);
        owner.Approve("held", "Ada", ApprovalChannels.Cli, null, owner.ReadPlan("held").TextSha256);
        var first = new PlanWorkflow(Open(), new PlanServerConfig(), null, null, TimeProvider.System) { Session = ClaimHolder.NewSession("wt-1") };
        var claim = first.Claims.Take("held").Claim;

        var timed = new TimedPlanStore(Open());
        var second = new PlanWorkflow(timed, new PlanServerConfig(), null, null, TimeProvider.System) { Session = ClaimHolder.NewSession("wt-2") };
        var refused = Assert.Throws<PlanRefusedException>(() => second.Claims.Take("held"));

        Assert.Equal(RefusalCodes.PlanClaimed, refused.Code);
        Assert.Contains($"claim {claim.Fence}", refused.Message, StringComparison.Ordinal);
        Assert.Equal([nameof(IPlanStore.ReadClaims)], timed.Totals.Keys);
        Assert.Equal(1, timed.Totals[nameof(IPlanStore.ReadClaims)].Calls);
    }

    [Fact]
    public void A_listing_of_active_plans_lists_the_store_once_and_takes_each_record_as_listed()
    {
        var owner = Workflow(Open());
        foreach (var id in new[] { "listed-a", "listed-b" })
        {
            owner.WritePlan(Actor.Planner, id, WorkflowRepository.PlanText, null);
            owner.Approve(id, "Ada", ApprovalChannels.Cli, null, owner.ReadPlan(id).TextSha256);
        }

        // The overlaps of the page's active plans come from the listing the page was taken from, not a second listing (on
        // PostgreSQL a round trip); each summary's record is asked for with the plan's stamp (ReadListedRecord).
        var timed = new TimedPlanStore(Open());
        var page = Workflow(timed).ListPlans(null, 0, 50);
        Assert.Equal(["listed-a", "listed-b"], page.Plans.Select(plan => plan.Id));
        Assert.All(page.Plans, plan => Assert.Equal(PlanFolder.Active, plan.Folder));
        Assert.Equal(1, timed.Totals[nameof(IPlanStore.ListPlanNames)].Calls);
        Assert.Equal(2, timed.Totals[nameof(IPlanStore.ReadListedRecord)].Calls);
        Assert.False(timed.Totals.ContainsKey(nameof(IPlanStore.ReadRecord)));
    }

    [Fact]
    public void Start_up_reconciliation_takes_the_lock_only_for_plans_out_of_line_and_brings_them_in_line()
    {
        var store = Open();
        var planner = Workflow(store);
        for (var i = 0; i < 12; i++)
        {
            planner.WritePlan(Actor.Planner, $"kept-{i:00}", WorkflowRepository.PlanText, null);
        }

        // A person moves a plan by hand: its record still says Review/.
        using (store.AcquireLock())
        {
            store.Move(PlanId.Parse("kept-05"), PlanFolder.Review, PlanFolder.Completed);
        }

        var timed = new TimedPlanStore(Open());
        var restarted = Workflow(timed);
        Assert.Equal(1, restarted.Reconcile());
        Assert.Equal(1, timed.Totals[nameof(IPlanStore.AcquireLock)].Calls);
        Assert.Equal(PlanFolder.Completed, Open().ReadRecord(PlanId.Parse("kept-05"))!.Folder);
        Assert.Contains(Open().ReadJournal(), line => line.Action == "reconcile" && line.PlanId == "kept-05");

        // Everything in line: a start takes no lock at all.
        timed.Reset();
        Assert.Equal(0, Workflow(timed).Reconcile());
        Assert.False(timed.Totals.ContainsKey(nameof(IPlanStore.AcquireLock)));
    }
}
