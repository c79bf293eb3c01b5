using System.Runtime.CompilerServices;
using System.Collections.Concurrent;
using System.Diagnostics;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;
using McpPlanServer.Storage.Postgres;
using Npgsql;
using McpPlanServer.Tests.Support;

namespace McpPlanServer.Tests.Storage.Postgres;

/// <summary>What only the database store has: the schema's versions, repositories sharing a database, transactions a dead writer leaves undone, claim rows guarded by version, and LISTEN/NOTIFY.</summary>
public sealed class PostgresPlanStoreTests : IDisposable
{
    private const string Text = "# Plan: P\n\n## Summary\nS\n";
    private readonly List<IDisposable> opened = [];
    private readonly Lazy<string> database = new(() => PostgresCluster.Shared.CreateDatabase());

    private PostgresPlanStore Open(string repository = "repo")
    {
        var store = new PostgresPlanStore(PostgresConnection.Open(database.Value), repository, new PlanServerConfig());
        opened.Add(store);
        return store;
    }

    private long Scalar(string sql)
    {
        using var connection = new NpgsqlConnection(database.Value);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static JournalEntry ClaimLine(Claim claim) => new()
    {
        At = DateTimeOffset.UtcNow,
        Actor = "implementer",
        Action = "claim",
        PlanId = claim.PlanId,
        Outcome = "ok",
        Detail = $"claim {claim.Fence} by {claim.SessionId} \"quoted\" previousSha256",
        ProcessId = claim.ProcessId,
    };

    [Fact]
    public void A_claim_row_swap_takes_the_next_fence_and_writes_it_into_the_claim_and_its_chained_journal_line()
    {
        var store = Open();
        var now = DateTimeOffset.UtcNow;
        using (store.AcquireLock())
        {
            store.WriteClaims(new ClaimBook(7, []));
        }

        Assert.Empty(store.ReadClaims().Claims);
        var first = store.Swap("swap-a", null, new Claim("swap-a", 0, "s1", 1, "host", "/w", now, now), ClaimLine)!;
        store.ReadClaims();
        var renewed = store.Swap("swap-a", first, first with { RenewedAt = now.AddMinutes(1) }, null)!;
        var book = Open().ReadClaims();
        var second = Open().Swap("swap-b", null, new Claim("swap-b", 0, "s2", 2, "host", "/w", now, now), ClaimLine)!;

        Assert.Equal((8L, 8L, 9L), (first.Fence, renewed.Fence, second.Fence));
        var read = Open().ReadClaims();
        Assert.Equal(9, read.LastFence);
        Assert.Equal([renewed, second], read.Claims);
        Assert.Equal([renewed], book.Claims);
        Assert.Equal([ClaimLine(first).Detail, ClaimLine(second).Detail], store.ReadJournal().Select(line => line.Detail));
        Assert.Empty(store.CheckIntegrity(null));

        // A claim changed since it was read is never overwritten, and the refused swap hands out no fence.
        var stale = Assert.Throws<PlanRefusedException>(() => store.Swap("swap-a", first, first with { RenewedAt = now.AddMinutes(2) }, null));
        Assert.Equal(RefusalCodes.ClaimConflict, stale.Code);
        var taken = Assert.Throws<PlanRefusedException>(() => store.Swap("swap-b", null, new Claim("swap-b", 0, "s3", 3, "host", "/w", now, now), ClaimLine));
        Assert.Equal(RefusalCodes.ClaimConflict, taken.Code);
        var unchanged = Open().ReadClaims();
        Assert.Equal((read.LastFence, read.Claims), (unchanged.LastFence, unchanged.Claims), (x, y) => x.LastFence == y.LastFence && x.Claims.SequenceEqual(y.Claims));
        Assert.Equal(2, store.ReadJournal().Count);

        var reader = Open();
        reader.ReadClaims();
        Assert.Null(reader.Swap("swap-a", renewed, null, claim => ClaimLine(claim) with { Action = "release_plan" }));
        Assert.Equal([second], Open().ReadClaims().Claims);
        Assert.Empty(store.CheckIntegrity(null));
    }

    [Fact]
    public void A_book_handing_out_a_fence_is_refused_when_a_claim_took_the_counter_meanwhile()
    {
        var store = Open();
        var now = DateTimeOffset.UtcNow;
        Claim fast;
        using (store.AcquireLock())
        {
            var book = store.ReadClaims();
            fast = Open().Swap("fast", null, new Claim("fast", 0, "s2", 2, "host", "/w", now, now), ClaimLine)!;
            var locked = new Claim("locked", book.LastFence + 1, "s1", 1, "host", "/w", now, now);
            Assert.Equal(locked.Fence, fast.Fence);
            var refused = Assert.Throws<PlanRefusedException>(() => store.WriteClaims(new ClaimBook(locked.Fence, [.. book.Claims, locked])));
            Assert.Equal(RefusalCodes.ClaimConflict, refused.Code);
        }

        var after = Open().ReadClaims();
        Assert.Equal([fast], after.Claims);
        Assert.Equal(fast.Fence, after.LastFence);
    }

    /// <summary>Claims of x (by <paramref name="store"/>'s session s1) and y (by <paramref name="other"/>'s s2).</summary>
    private static (Claim X, Claim Y) TwoClaims(PostgresPlanStore store, PostgresPlanStore other, DateTimeOffset now) => (
        store.Swap("x", null, new Claim("x", 0, "s1", 1, "host", "/w", now, now), ClaimLine)!,
        other.Swap("y", null, new Claim("y", 0, "s2", 2, "host", "/w", now, now), ClaimLine)!);

    /// <summary>commit_step's book: as read, with x renewed a minute later.</summary>
    private static ClaimBook RenewedX(ClaimBook book, DateTimeOffset now) =>
        book with { Claims = [.. book.Claims.Select(claim => claim.PlanId == "x" ? claim with { RenewedAt = now.AddMinutes(1) } : claim)] };

    /// <summary>After x was renewed while y was released and z claimed elsewhere: exactly x renewed and z, the counter at z's fence, the journal intact.</summary>
    private void AssertXRenewedAndZHeld(PostgresPlanStore store, Claim x, Claim z, DateTimeOffset now)
    {
        var after = Open().ReadClaims();
        Assert.Equal([x with { RenewedAt = now.AddMinutes(1) }, z], after.Claims);
        Assert.Equal(z.Fence, after.LastFence);
        Assert.Empty(store.CheckIntegrity(null));
    }

    [Fact]
    public void A_book_written_under_the_lock_leaves_claims_that_changed_meanwhile_without_it_as_they_are()
    {
        var (store, other, now) = (Open(), Open(), DateTimeOffset.UtcNow);
        var (x, y) = TwoClaims(store, other, now);
        Claim z;
        using (store.AcquireLock())
        {
            // commit_step renewing its own claim: the book as read, x renewed; meanwhile y is released and z claimed.
            var book = store.ReadClaims();
            other.ReadClaims();
            Assert.Null(other.Swap("y", y, null, claim => ClaimLine(claim) with { Action = "release_plan" }));
            z = other.Swap("z", null, new Claim("z", 0, "s2", 2, "host", "/w", now, now), ClaimLine)!;
            store.WriteClaims(RenewedX(book, now));
        }

        AssertXRenewedAndZHeld(store, x, z, now);
    }

    [Fact]
    public async Task A_change_renewing_its_claim_keeps_no_other_claim_or_release_waiting_until_it_commits()
    {
        var (store, other, now) = (Open(), Open(), DateTimeOffset.UtcNow);
        var (x, y) = TwoClaims(store, other, now);
        Claim z;
        using (store.AcquireLock())
        {
            // commit_step's change: x renewed and written, the change still open (its git commit runs now).
            var book = store.ReadClaims();
            store.WriteClaims(RenewedX(book, now));

            // Another machine releases y and claims z meanwhile: neither waits for the open change (it locked only x's row).
            var elsewhere = Task.Run(() =>
            {
                other.ReadClaims();
                Assert.Null(other.Swap("y", y, null, claim => ClaimLine(claim) with { Action = "release_plan" }));
                return other.Swap("z", null, new Claim("z", 0, "s2", 2, "host", "/w", now, now), ClaimLine)!;
            }, TestContext.Current.CancellationToken);
            var finished = await Task.WhenAny(elsewhere, Task.Delay(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
            Assert.True(finished == elsewhere, "The release and the claim on other plans waited for the open change.");
            z = await elsewhere;
        }

        AssertXRenewedAndZHeld(store, x, z, now);
    }

    [Fact]
    public async Task A_book_that_only_renews_is_written_while_another_transaction_holds_the_fence_counter()
    {
        var store = Open();
        var now = DateTimeOffset.UtcNow;
        var x = store.Swap("x", null, new Claim("x", 0, "s1", 1, "host", "/w", now, now), ClaimLine)!;
        await using var holder = new NpgsqlConnection(database.Value);
        await holder.OpenAsync(TestContext.Current.CancellationToken);
        await using var holding = await holder.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await using (var counter = new NpgsqlCommand("SELECT last_fence FROM mcpplan_claim_books WHERE repository = 'repo' FOR UPDATE", holder, holding))
        {
            Assert.Equal(x.Fence, Convert.ToInt64(await counter.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture));
        }

        var renewing = Task.Run(() =>
        {
            using (store.AcquireLock())
            {
                var book = store.ReadClaims();
                store.WriteClaims(book with { Claims = [x with { RenewedAt = now.AddMinutes(1) }] });
            }
        }, TestContext.Current.CancellationToken);
        var finished = await Task.WhenAny(renewing, Task.Delay(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
        Assert.True(finished == renewing, "A renewal waited for the fence counter, which it does not change.");
        await renewing;
        await holding.RollbackAsync(TestContext.Current.CancellationToken);
        Assert.Equal([x with { RenewedAt = now.AddMinutes(1) }], Open().ReadClaims().Claims);
    }

    [Fact]
    public async Task A_change_takes_the_journals_lock_only_as_it_commits_so_a_refusal_elsewhere_never_waits_for_its_other_writes()
    {
        var store = Open();
        var other = Open();
        using (store.AcquireLock())
        {
            store.WriteText(PlanId.Parse("first"), PlanFolder.Review, Text);
            store.WriteRecord(PlanStoreContract.Record("first", 1), PlanStoreContract.Entry("write_plan", "first"));

            // The change is still open (its caller does more work now): another machine's refusal is journaled meanwhile.
            var refusal = Task.Run(() => other.AppendJournalAlone(PlanStoreContract.Entry("claim_refused", "first")), TestContext.Current.CancellationToken);
            var finished = await Task.WhenAny(refusal, Task.Delay(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
            Assert.True(finished == refusal, "A refusal's journal line waited for a change that was still open.");
            await refusal;

            // The change reads its own line, after the refusal's: the chain is one line after another.
            Assert.Equal(["claim_refused", "write_plan"], store.ReadJournal().Select(line => line.Action));
            store.WriteRecord(PlanStoreContract.Record("first", 2), PlanStoreContract.Entry("update", "first"));
        }

        Assert.Equal(["claim_refused", "write_plan", "update"], Open().ReadJournal().Select(line => line.Action));
        Assert.Empty(store.CheckIntegrity(null));

        // A change that fails leaves none of its lines.
        var failing = Assert.Throws<PlanRefusedException>(() =>
        {
            using (store.AcquireLock())
            {
                store.WriteRecord(PlanStoreContract.Record("first", 3), PlanStoreContract.Entry("update", "first"));
                store.WriteRecord(PlanStoreContract.Record("first", 3), PlanStoreContract.Entry("update", "first"));
            }
        });
        Assert.Equal("stale_revision", failing.Code);
        Assert.Equal(3, Open().ReadJournal().Count);
        Assert.Equal(2, Open().ReadRecord(PlanId.Parse("first"))!.Revision);
    }

    [Fact]
    public void The_schema_is_migrated_once_and_a_newer_schema_is_refused_with_the_fix()
    {
        Open();
        Open();
        Assert.Equal(PostgresSchema.Current, Scalar("SELECT max(version) FROM mcpplan_schema_version"));
        Assert.Equal(PostgresSchema.Current, Scalar("SELECT count(*) FROM mcpplan_schema_version"));

        Scalar($"INSERT INTO mcpplan_schema_version (version) VALUES ({PostgresSchema.Current + 1}) RETURNING version");
        var refusal = Assert.Throws<PlanRefusedException>(() => Open());

        Assert.Equal("schema_too_new", refusal.Code);
        Assert.Contains("Upgrade mcpplan", refusal.Message);
    }

    [Fact]
    public void Repositories_sharing_a_database_see_only_their_own_plans_journal_and_claims()
    {
        var first = Open("first");
        var second = Open("second");
        var now = DateTimeOffset.UtcNow;
        using (first.AcquireLock())
        {
            first.WriteText(PlanId.Parse("only-first"), PlanFolder.Review, Text);
            first.AppendJournal(new JournalEntry { At = now, Actor = "planner", Action = "write_plan", Outcome = "ok" });
            first.WriteClaims(new ClaimBook(1, [new Claim("only-first", 1, "s", 1, "h", "/w", now, now)]));
        }

        Assert.Empty(second.ListPlans());
        Assert.Empty(second.ReadJournal());
        Assert.Empty(second.ReadClaims().Claims);
        Assert.Single(first.ListPlans());
    }

    [Fact]
    public void A_writer_whose_connection_dies_mid_change_leaves_nothing_half_written()
    {
        var store = Open();
        var id = PlanId.Parse("killed");
        var change = store.AcquireLock();
        store.WriteText(id, PlanFolder.Review, Text);
        store.WriteRecord(new PlanRecord { Id = id.Value, Revision = 1, TextSha256 = PlanText.Sha256Hex(Text) }, new JournalEntry { At = DateTimeOffset.UtcNow, Actor = "planner", Action = "write_plan", Outcome = "ok" });

        // As a kill -9 of the writer looks to the database: its backend ends with the transaction open.
        Assert.Equal(1, Scalar($"SELECT pg_terminate_backend({((PostgresLockScope)change).Connection.ProcessID})::int"));
        Assert.ThrowsAny<Exception>(change.Dispose);

        var reader = Open();
        Assert.Empty(reader.ListPlans());
        Assert.Null(reader.ReadRecord(id));
        Assert.Empty(reader.ReadJournal());
        using (reader.AcquireLock())
        {
            reader.WriteText(id, PlanFolder.Review, Text);
        }

        Assert.Single(reader.ListPlans());
    }

    [Fact]
    public void A_claim_changed_behind_the_lock_is_never_overwritten()
    {
        var store = Open();
        var now = DateTimeOffset.UtcNow;
        using (store.AcquireLock())
        {
            store.WriteClaims(new ClaimBook(1, [new Claim("held", 1, "first", 1, "h", "/w", now, now)]));
        }

        var change = store.AcquireLock();
        var book = store.ReadClaims();

        // Another machine that bypassed the lock took the claim over meanwhile (its version moved on).
        Scalar("UPDATE mcpplan_claims SET version = version + 1, session_id = 'other' WHERE plan_id = 'held' RETURNING version");
        var refusal = Assert.Throws<PlanRefusedException>(() => store.WriteClaims(book with { Claims = [book.Claims[0] with { SessionId = "second", Fence = 2 }], LastFence = 2 }));
        change.Dispose();

        Assert.Equal("claim_conflict", refusal.Code);
        Assert.Equal(1, Scalar("SELECT count(*) FROM mcpplan_claims WHERE session_id = 'other'"));
        Assert.Equal(1, Scalar("SELECT last_fence FROM mcpplan_claim_books"));
    }

    [Fact]
    public void A_second_claim_row_for_the_same_plan_cannot_exist()
    {
        Open();
        Scalar("INSERT INTO mcpplan_claims (repository, plan_id, version, fence, session_id, body) VALUES ('repo', 'p', 1, 1, 'a', '\\x7b7d') RETURNING 1");
        Assert.Throws<PostgresException>(() => Scalar("INSERT INTO mcpplan_claims (repository, plan_id, version, fence, session_id, body) VALUES ('repo', 'p', 1, 2, 'b', '\\x7b7d') RETURNING 1"));
    }

    [Fact]
    public async Task A_change_on_one_machine_wakes_the_listener_of_another_within_a_second_and_other_repositories_do_not()
    {
        var writer = Open();
        var elsewhere = Open("elsewhere");
        var listenerStore = Open();
        var woken = new SemaphoreSlim(0);
        using var stop = new CancellationTokenSource();
        var listening = new PostgresChangeListener(listenerStore.DataSource, listenerStore.Repository).RunAsync(
            _ =>
            {
                woken.Release();
                return Task.CompletedTask;
            },
            stop.Token);
        await Task.Delay(500, TestContext.Current.CancellationToken);

        using (elsewhere.AcquireLock())
        {
            elsewhere.WriteText(PlanId.Parse("other-repo"), PlanFolder.Review, Text);
        }

        Assert.False(await woken.WaitAsync(TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken));
        var started = System.Diagnostics.Stopwatch.StartNew();
        using (writer.AcquireLock())
        {
            writer.WriteText(PlanId.Parse("this-repo"), PlanFolder.Review, Text);
        }

        Assert.True(await woken.WaitAsync(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken), "no notification within a second");
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(1));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listening);
    }

    /// <summary>A listener on <paramref name="store"/>'s repository (a server's, or with <paramref name="activity"/> a board's) counting its wake-ups.</summary>
    /// <summary>Polls <paramref name="condition"/> for up to a second (what "within a second" of a notification allows), or <paramref name="seconds"/>.</summary>
    private static async Task<bool> Until(Func<bool> condition, int seconds = 1)
    {
        for (var waited = 0; !condition() && waited < 20 * seconds; waited++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        return condition();
    }

    private static (Task Listening, StrongBox<int> Wakes) CountingListener(PostgresPlanStore store, CancellationToken stop, bool activity = false)
    {
        var wakes = new StrongBox<int>();
        var listening = new PostgresChangeListener(store.DataSource, store.Repository, activity).RunAsync(
            _ =>
            {
                Interlocked.Increment(ref wakes.Value);
                return Task.CompletedTask;
            },
            stop);
        return (listening, wakes);
    }

    [Fact]
    public async Task A_claim_or_a_record_change_wakes_a_boards_listener_but_not_a_servers_while_a_plan_text_change_wakes_both()
    {
        var writer = Open();
        var listenerStore = Open();
        using var stop = new CancellationTokenSource();
        var (server, serverWakes) = CountingListener(listenerStore, stop.Token);
        var (board, boardWakes) = CountingListener(listenerStore, stop.Token, activity: true);

        // Both listening, the board's watch written, and the board's one look a moment after it started taken (counted as 1).
        Assert.True(await Until(() => Scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN mcpplan_changes'") == 1
            && Scalar("SELECT count(*) FROM mcpplan_watchers") == 1 && Volatile.Read(ref boardWakes.Value) == 1, seconds: 3));
        var now = DateTimeOffset.UtcNow;
        var claim = writer.Swap("claimed", null, new Claim("claimed", 0, "s1", 1, "host", "/w", now, now), ClaimLine)!;
        Assert.True(await Until(() => Volatile.Read(ref boardWakes.Value) == 2), "the board did not hear of the claim within a second");
        writer.ReadClaims();
        Assert.Null(writer.Swap("claimed", claim, null, line => ClaimLine(line) with { Action = "release_plan" }));
        Assert.True(await Until(() => Volatile.Read(ref boardWakes.Value) == 3), "the board did not hear of the release within a second");
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Equal(0, Volatile.Read(ref serverWakes.Value));
        using (writer.AcquireLock())
        {
            writer.WriteRecord(PlanStoreContract.Record("claimed", 1), PlanStoreContract.Entry("write_plan", "claimed"));
        }

        // A new record is a plan's state: both hear of it.
        Assert.True(await Until(() => Volatile.Read(ref serverWakes.Value) == 1 && Volatile.Read(ref boardWakes.Value) == 4), "a new record did not reach both within a second");
        using (writer.AcquireLock())
        {
            // A step recorded, status unchanged (commit_step): the board shows it, no server resource or state changes.
            writer.WriteRecord(PlanStoreContract.Record("claimed", 2) with { Title = "step one done" }, PlanStoreContract.Entry("commit_step", "claimed"));
        }

        Assert.True(await Until(() => Volatile.Read(ref boardWakes.Value) == 5), "the board did not hear of the step within a second");
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Equal(1, Volatile.Read(ref serverWakes.Value));
        using (writer.AcquireLock())
        {
            writer.WriteRecord(PlanStoreContract.Record("claimed", 3) with { Status = PlanStatus.InReview }, PlanStoreContract.Entry("submit_for_review", "claimed"));
        }

        Assert.True(await Until(() => Volatile.Read(ref serverWakes.Value) == 2 && Volatile.Read(ref boardWakes.Value) == 6), "a status change did not reach both within a second");

        // Written over a record spoiled by hand (mcpplan repair does): it works, and counts as a change of state.
        Assert.Equal(1, Scalar("UPDATE mcpplan_records SET body = '\\x6e6f74206a736f6e' WHERE plan_id = 'claimed' RETURNING 1"));
        using (writer.AcquireLock())
        {
            writer.WriteRecord(PlanStoreContract.Record("claimed", 4) with { Status = PlanStatus.InReview }, PlanStoreContract.Entry("repair", "claimed"));
        }

        Assert.True(await Until(() => Volatile.Read(ref serverWakes.Value) == 3 && Volatile.Read(ref boardWakes.Value) == 7), "writing over a spoiled record did not reach both within a second");
        using (writer.AcquireLock())
        {
            writer.WriteText(PlanId.Parse("written"), PlanFolder.Review, Text);
        }

        Assert.True(await Until(() => Volatile.Read(ref serverWakes.Value) == 4 && Volatile.Read(ref boardWakes.Value) == 8), "a plan text did not reach both within a second");
        using (writer.AcquireLock())
        {
            writer.Move(PlanId.Parse("written"), PlanFolder.Review, PlanFolder.Active);
        }

        Assert.True(await Until(() => Volatile.Read(ref serverWakes.Value) == 5 && Volatile.Read(ref boardWakes.Value) == 9), "a plan's move did not reach both within a second");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => server);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => board);
    }

    [Fact]
    public async Task Activity_is_announced_only_while_a_board_watches_and_a_starting_board_looks_once_more_a_moment_later()
    {
        var writer = Open();
        var listenerStore = Open();
        var cancel = TestContext.Current.CancellationToken;

        // Any connection may LISTEN on the activity channel; it hears exactly what is sent there.
        await using var raw = await listenerStore.DataSource.OpenConnectionAsync(cancel);
        var heard = new StrongBox<int>();
        raw.Notification += (_, notification) =>
        {
            if (notification.Payload == writer.Repository)
            {
                Interlocked.Increment(ref heard.Value);
            }
        };
        await using (var listen = new NpgsqlCommand($"LISTEN {PostgresChangeListener.ActivityChannel}", raw))
        {
            await listen.ExecuteNonQueryAsync(cancel);
        }

        async Task<int> HeardAfter(Action change)
        {
            change();
            for (var until = DateTime.UtcNow.AddMilliseconds(400); DateTime.UtcNow < until;)
            {
                await raw.WaitAsync(TimeSpan.FromMilliseconds(50), cancel);
            }

            return Volatile.Read(ref heard.Value);
        }

        var now = DateTimeOffset.UtcNow;
        var claim = new Claim("watched", 0, "s1", 1, "host", "/w", now, now);
        Claim? held = null;
        void Take() => held = writer.Swap("watched", null, claim, ClaimLine);
        void Release()
        {
            writer.ReadClaims();
            writer.Swap("watched", held, null, line => ClaimLine(line) with { Action = "release_plan" });
        }

        // No board watches: a claim, its release and a step recorded announce nothing (a plan's state still goes to servers).
        using (writer.AcquireLock())
        {
            writer.WriteRecord(PlanStoreContract.Record("watched", 1), PlanStoreContract.Entry("write_plan", "watched"));
        }

        Assert.Equal(0, await HeardAfter(Take));
        Assert.Equal(0, await HeardAfter(Release));
        Assert.Equal(0, await HeardAfter(() =>
        {
            using var change = writer.AcquireLock();
            writer.WriteRecord(PlanStoreContract.Record("watched", 2) with { Title = "step one done" }, PlanStoreContract.Entry("commit_step", "watched"));
        }));

        // A board starts: it writes its watch and, a moment later, looks once more (for activity committed unannounced while
        // its watch was being written); from then on every claim, release and step is announced.
        using var stop = new CancellationTokenSource();
        var (board, boardWakes) = CountingListener(listenerStore, stop.Token, activity: true);
        Assert.True(await Until(() => Scalar("SELECT count(*) FROM mcpplan_watchers WHERE repository = 'repo' AND until > now() + interval '50 seconds'") == 1, seconds: 5));
        Assert.True(await Until(() => Volatile.Read(ref boardWakes.Value) == 1, seconds: 5), "a starting board did not look once more within five seconds");
        Assert.Equal(1, await HeardAfter(Take));
        Assert.Equal(2, await HeardAfter(Release));
        Assert.Equal(3, await HeardAfter(() =>
        {
            using var change = writer.AcquireLock();
            writer.WriteRecord(PlanStoreContract.Record("watched", 3) with { Title = "step two done" }, PlanStoreContract.Entry("commit_step", "watched"));
        }));
        Assert.True(await Until(() => Volatile.Read(ref boardWakes.Value) == 4), "the board did not hear the claim, the release and the step");

        // Stopped: the watch is removed, and activity is quiet again.
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => board);
        Assert.Equal(0, Scalar("SELECT count(*) FROM mcpplan_watchers"));
        Assert.Equal(3, await HeardAfter(Take));

        // A watch that ran out (a board that died without removing it) announces nothing; one that holds does.
        Assert.Equal(1, Scalar("INSERT INTO mcpplan_watchers VALUES ('repo', 'died', now() - interval '1 second') RETURNING 1"));
        Assert.Equal(3, await HeardAfter(Release));
        Assert.Equal(1, Scalar("UPDATE mcpplan_watchers SET until = now() + interval '1 minute' RETURNING 1"));
        Assert.Equal(4, await HeardAfter(Take));

        // Another repository's watch is not this one's.
        Assert.Equal(1, Scalar("UPDATE mcpplan_watchers SET repository = 'other' RETURNING 1"));
        Assert.Equal(4, await HeardAfter(Release));
    }

    [Fact]
    public async Task A_boards_wait_for_its_next_timer_is_never_what_Npgsql_reads_as_forever()
    {
        // Npgsql reads a wait of 0 ms as "no timeout": a board that woke a fraction of a millisecond before its catch-up or
        // its watch's renewal waited for the next notification instead (a CI run saw a board miss its catch-up look).
        await using var connection = await Open().DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        using (var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken))
        {
            limit.CancelAfter(TimeSpan.FromMilliseconds(500));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connection.WaitAsync(TimeSpan.FromTicks(5_000), limit.Token));
        }

        var due = DateTime.UtcNow;
        foreach (var now in new[] { due.AddTicks(-5_000), due, due.AddSeconds(3) })
        {
            var timeout = PostgresChangeListener.WaitTimeout(due, now);
            Assert.Equal(TimeSpan.FromMilliseconds(1), timeout);
            Assert.False(await connection.WaitAsync(timeout, TestContext.Current.CancellationToken));
        }

        Assert.Equal(TimeSpan.FromSeconds(2), PostgresChangeListener.WaitTimeout(due, due.AddSeconds(-2)));
    }

    [Fact]
    public async Task A_listener_stays_quiet_while_nothing_changes_wakes_once_per_change_and_ends_when_stopped()
    {
        var writer = Open();
        var listenerStore = Open();
        using var stop = new CancellationTokenSource();
        var (listening, wakes) = CountingListener(listenerStore, stop.Token);

        // Every server wakes for every change of a plan's text, folder or status in the repository (issue 19): with nothing
        // changed, nothing is reported and nothing reconnects (a reconnect reports a change).
        await Task.Delay(TimeSpan.FromSeconds(2.5), TestContext.Current.CancellationToken);
        Assert.Equal(0, Volatile.Read(ref wakes.Value));
        Assert.Equal(1L, Scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN mcpplan_changes'"));

        using (writer.AcquireLock())
        {
            writer.WriteText(PlanId.Parse("quiet-one"), PlanFolder.Review, Text);
        }

        for (var waited = 0; Volatile.Read(ref wakes.Value) == 0 && waited < 100; waited++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Equal(1, Volatile.Read(ref wakes.Value));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listening);
    }

    [Fact]
    public void The_kept_listing_follows_every_change_by_another_machine_or_by_hand_and_a_rolled_back_change_leaves_no_trace()
    {
        var reader = Open();
        var writer = Open();
        using (writer.AcquireLock())
        {
            writer.WriteText(PlanId.Parse("listed-one"), PlanFolder.Review, Text);
        }

        Assert.Single(reader.ListPlans());
        Assert.Single(reader.ListPlans());
        using (writer.AcquireLock())
        {
            writer.WriteText(PlanId.Parse("listed-two"), PlanFolder.Review, Text);
            writer.Move(PlanId.Parse("listed-one"), PlanFolder.Review, PlanFolder.Active);
        }

        Assert.Equal([PlanFolder.Active, PlanFolder.Review], reader.ListPlans().OrderBy(location => location.Id.Value, StringComparer.Ordinal).Select(location => location.Folder));

        // A change that is rolled back bumps nothing anyone sees.
        Assert.Throws<PlanRefusedException>(() =>
        {
            using (writer.AcquireLock())
            {
                writer.WriteText(PlanId.Parse("listed-three"), PlanFolder.Review, Text);
                Assert.Equal(3, writer.ListPlans().Count);
                writer.Move(PlanId.Parse("missing"), PlanFolder.Review, PlanFolder.Active);
            }
        });
        Assert.Equal(2, reader.ListPlans().Count);

        Scalar("UPDATE mcpplan_plans SET folder = 'Completed' WHERE plan_id = 'listed-two' RETURNING 1");
        Assert.Contains(reader.ListPlans(), location => location.Id.Value == "listed-two" && location.Folder == PlanFolder.Completed);
        Scalar("DELETE FROM mcpplan_plans WHERE plan_id = 'listed-two' RETURNING 1");
        Assert.Equal("listed-one", Assert.Single(reader.ListPlans()).Id.Value);
        Scalar("TRUNCATE mcpplan_plans; SELECT 1");
        Assert.Empty(reader.ListPlans());
    }

    [Fact]
    public void The_names_listing_is_one_object_while_nothing_changed_and_read_again_after_any_change_with_fresh_stamps()
    {
        var reader = Open();
        var writer = Open();
        using (writer.AcquireLock())
        {
            writer.WriteText(PlanId.Parse("named-one"), PlanFolder.Review, Text);
        }

        // The same object while the listing version holds: a listing's order and overlaps are kept with it.
        var names = reader.ListPlanNames();
        Assert.Same(names, reader.ListPlanNames());
        var location = reader.Locate(PlanId.Parse("named-one"))!;
        var stamp = reader.Stamp(location);

        // Another machine rewrites the text: the next listing is read again, and the stamps with it.
        using (writer.AcquireLock())
        {
            writer.WriteText(PlanId.Parse("named-one"), PlanFolder.Review, Text + "more\n");
        }

        var again = reader.ListPlanNames();
        Assert.NotSame(names, again);
        Assert.Same(again, reader.ListPlanNames());
        Assert.NotEqual(stamp, reader.Stamp(location));
        Assert.Equal(writer.Stamp(location), reader.Stamp(location));

        // By hand in psql, and a write of this process: read again too.
        Scalar("UPDATE mcpplan_plans SET folder = 'Active' WHERE plan_id = 'named-one' RETURNING 1");
        Assert.Equal(PlanFolder.Active, Assert.Single(reader.ListPlanNames()).Folder);
        var handMoved = reader.ListPlanNames();
        using (reader.AcquireLock())
        {
            reader.WriteText(PlanId.Parse("named-two"), PlanFolder.Review, Text);
        }

        Assert.NotSame(handMoved, reader.ListPlanNames());
        Assert.Equal(2, reader.ListPlanNames().Count);
    }

    [Fact]
    public void A_kept_listing_is_brought_up_to_date_in_one_round_trip_and_read_whole_in_two_after_a_removal()
    {
        var reader = Open();
        var writer = Open();
        using (writer.AcquireLock())
        {
            writer.WriteText(PlanId.Parse("trip-one"), PlanFolder.Review, Text);
            writer.WriteText(PlanId.Parse("trip-two"), PlanFolder.Review, Text);
        }

        Assert.Equal(2, NpgsqlCommands(() => reader.ListPlanNames()));
        Assert.Equal(1, NpgsqlCommands(() => reader.ListPlanNames()));
        using (writer.AcquireLock())
        {
            writer.WriteText(PlanId.Parse("trip-one"), PlanFolder.Review, Text + "more\n");
        }

        // The version and the rows written since in one command; the listing equals a fresh store's.
        Assert.Equal(1, NpgsqlCommands(() => reader.ListPlanNames()));
        Assert.Equal(Listed(Open()), Listed(reader));

        // A removal leaves no row to read: the version, then the whole listing.
        Scalar("DELETE FROM mcpplan_plans WHERE plan_id = 'trip-two' RETURNING 1");
        Assert.Equal(2, NpgsqlCommands(() => reader.ListPlanNames()));
        Assert.Equal("trip-one", Assert.Single(reader.ListPlanNames()).Id.Value);
    }

    [Fact]
    public void A_listing_reads_the_records_written_since_with_their_stamps_so_summarizing_a_changed_plan_costs_no_round_trip()
    {
        var reader = Open();
        var writer = Open();
        var (changed, quiet) = (PlanId.Parse("listed-changed"), PlanId.Parse("listed-quiet"));
        using (writer.AcquireLock())
        {
            writer.WriteText(changed, PlanFolder.Active, Text);
            writer.WriteRecord(PlanStoreContract.Record(changed.Value, 1), PlanStoreContract.Entry("write_plan", changed.Value));
            writer.WriteText(quiet, PlanFolder.Active, Text);
            writer.WriteRecord(PlanStoreContract.Record(quiet.Value, 1), PlanStoreContract.Entry("write_plan", quiet.Value));
        }

        reader.ListPlanNames();
        using (writer.AcquireLock())
        {
            writer.WriteRecord(PlanStoreContract.Record(changed.Value, 2), PlanStoreContract.Entry("update", changed.Value));
        }

        // The next listing reads the changed plan's row with its record: summarizing it takes no command of its own, and
        // gives what a read now gives.
        reader.ListPlanNames();
        var (changedAt, quietAt) = (reader.Stamp(reader.Locate(changed)!)!, reader.Stamp(reader.Locate(quiet)!)!);
        PlanRecord? listed = null;
        Assert.Equal(0, NpgsqlCommands(() => listed = reader.ReadListedRecord(changed, changedAt)));
        Assert.Equal(StoredJson.Record(reader.ReadRecord(changed)!), StoredJson.Record(listed!));
        Assert.Equal(2, listed!.Revision);

        // A plan that was not written since that listing before is read now, and so is one whose stamp is not the listing's.
        Assert.Equal(1, NpgsqlCommands(() => Assert.Equal(1, reader.ReadListedRecord(quiet, quietAt)!.Revision)));
        using (writer.AcquireLock())
        {
            writer.WriteRecord(PlanStoreContract.Record(changed.Value, 3), PlanStoreContract.Entry("update", changed.Value));
        }

        var newer = writer.Stamp(writer.Locate(changed)!)!;
        Assert.NotEqual(changedAt, newer);
        Assert.Equal(3, reader.ReadListedRecord(changed, newer)!.Revision);

        // After a write of this process the listing's records are not trusted until the next listing, as its stamps are not.
        reader.ListPlanNames();
        var listedAt = reader.Stamp(reader.Locate(changed)!)!;
        Assert.Equal(0, NpgsqlCommands(() => reader.ReadListedRecord(changed, listedAt)));
        using (reader.AcquireLock())
        {
            reader.WriteText(PlanId.Parse("listed-other"), PlanFolder.Review, Text);
        }

        Assert.Equal(1, NpgsqlCommands(() => reader.ReadListedRecord(changed, listedAt)));

        // A record spoiled by hand in psql is listed as it is, and refused as a read of it is.
        Scalar("UPDATE mcpplan_records SET body = convert_to('{not json', 'UTF8') WHERE plan_id = 'listed-changed' RETURNING 1");
        reader.ListPlanNames();
        var spoiled = Assert.Throws<PlanRefusedException>(() => reader.ReadListedRecord(changed, reader.Stamp(reader.Locate(changed)!)!));
        Assert.Equal(RefusalCodes.RecordCorrupt, spoiled.Code);
        Assert.Equal(spoiled.Message, Assert.Throws<PlanRefusedException>(() => reader.ReadRecord(changed)).Message);

        // More plans written since than a listing reads records for (an import): none are read with it, each is read alone.
        using (writer.AcquireLock())
        {
            for (var plan = 0; plan <= PlanLimits.ListedRecordsRead; plan++)
            {
                var id = PlanId.Parse($"imported-{plan:000}");
                writer.WriteText(id, PlanFolder.Review, Text);
                writer.WriteRecord(PlanStoreContract.Record(id.Value, 1), PlanStoreContract.Entry("import", id.Value));
            }
        }

        reader.ListPlanNames();
        var imported = PlanId.Parse("imported-000");
        var importedAt = reader.Stamp(reader.Locate(imported)!)!;
        Assert.Equal(1, NpgsqlCommands(() => Assert.Equal(1, reader.ReadListedRecord(imported, importedAt)!.Revision)));
    }

    /// <summary>Every listed plan with its folder, time and stamp, in id order: what a listing gives a view.</summary>
    private static List<(string Id, PlanFolder Folder, DateTimeOffset Written, PlanFileStamp? Stamp)> Listed(PostgresPlanStore store) =>
        [.. store.ListPlanNames().OrderBy(plan => plan.Id.Value, StringComparer.Ordinal)
            .Select(plan => (plan.Id.Value, plan.Folder, plan.LastWriteTime!.Value, store.Stamp(new PlanLocation(plan.Id, plan.Folder, default))))];

    [Fact]
    public void A_kept_listing_brought_up_to_date_from_the_rows_written_since_equals_a_fresh_listing_after_every_kind_of_change()
    {
        var reader = Open();
        var writer = Open();
        using (writer.AcquireLock())
        {
            for (var i = 0; i < 6; i++)
            {
                writer.WriteText(PlanId.Parse($"delta-{i}"), PlanFolder.Review, Text);
                writer.WriteRecord(PlanStoreContract.Record($"delta-{i}", 1), PlanStoreContract.Entry("write_plan", $"delta-{i}"));
            }
        }

        Assert.Equal(6, Listed(reader).Count);
        var version = Scalar("SELECT version FROM mcpplan_listing_versions WHERE repository = 'repo'");

        // Another machine: a record's next revision, a move, a text rewritten, a new plan.
        using (writer.AcquireLock())
        {
            writer.WriteRecord(PlanStoreContract.Record("delta-1", 2), PlanStoreContract.Entry("write_plan", "delta-1"));
            writer.Move(PlanId.Parse("delta-2"), PlanFolder.Review, PlanFolder.Active);
            writer.WriteText(PlanId.Parse("delta-3"), PlanFolder.Review, Text + "more\n");
            writer.WriteText(PlanId.Parse("delta-6"), PlanFolder.Review, Text);
        }

        // Each written row carries the version its write made: four rows are newer than the kept listing.
        Assert.Equal(3, Scalar($"SELECT count(*) FROM mcpplan_plans WHERE repository = 'repo' AND listed_at > {version}"));
        Assert.Equal(1, Scalar($"SELECT count(*) FROM mcpplan_records WHERE repository = 'repo' AND listed_at > {version}"));
        Assert.Equal(Listed(Open()), Listed(reader));

        // By hand: a record's body, a plan row inserted, then removals (a record, a plan), which leave no row to read.
        Scalar("UPDATE mcpplan_records SET body = body || ' '::bytea WHERE plan_id = 'delta-4' RETURNING 1");
        Scalar("INSERT INTO mcpplan_plans (repository, plan_id, folder, body, text_version, written_ticks) SELECT repository, 'delta-7', 'Review', body, 1, written_ticks FROM mcpplan_plans WHERE plan_id = 'delta-0' RETURNING 1");
        Assert.Equal(Listed(Open()), Listed(reader));
        Assert.Equal(8, Listed(reader).Count);
        Scalar("DELETE FROM mcpplan_records WHERE plan_id = 'delta-5' RETURNING 1");
        Assert.Equal(-1, Listed(reader).Single(plan => plan.Id == "delta-5").Stamp!.RecordLength);
        Assert.Equal(Listed(Open()), Listed(reader));
        Scalar("DELETE FROM mcpplan_plans WHERE plan_id = 'delta-0' RETURNING 1");
        Assert.Equal(Listed(Open()), Listed(reader));
        Assert.DoesNotContain(Listed(reader), plan => plan.Id == "delta-0");

        // And a write of this process.
        using (reader.AcquireLock())
        {
            reader.WriteRecord(PlanStoreContract.Record("delta-6", 1), PlanStoreContract.Entry("write_plan", "delta-6"));
        }

        Assert.Equal(Listed(Open()), Listed(reader));

        // The version's row deleted by hand (or a database restored): versions start again below the kept listing's.
        Scalar("DELETE FROM mcpplan_listing_versions; SELECT 1");
        Scalar("UPDATE mcpplan_plans SET folder = 'Completed' WHERE plan_id = 'delta-1' RETURNING 1");
        Assert.Equal(PlanFolder.Completed, Listed(reader).Single(plan => plan.Id == "delta-1").Folder);
        Assert.Equal(Listed(Open()), Listed(reader));
    }

    [Fact]
    public void Acceptance_files_written_in_a_failed_change_are_rolled_back_and_a_stale_writer_is_refused()
    {
        var store = Open();
        var id = PlanId.Parse("accepted");
        var first = new AcceptanceSet(1, [new AcceptanceFile("tests/a_test.py", "assert True\n", "a")]);
        using (store.AcquireLock())
        {
            store.WriteAcceptance(id, first);
        }

        // A change that fails after writing the files leaves the stored ones as they were.
        Assert.Throws<PlanRefusedException>(() =>
        {
            using (store.AcquireLock())
            {
                store.WriteAcceptance(id, new AcceptanceSet(2, []));
                store.Move(id, PlanFolder.Review, PlanFolder.Active);
            }
        });
        var kept = Open().ReadAcceptance(id);
        Assert.Equal(1, kept.Revision);
        Assert.Equal(first.Files[0], Assert.Single(kept.Files));

        // A writer that skipped the workflow's check under the lock, from revision 0 again, is refused with nothing changed.
        var stale = Assert.Throws<PlanRefusedException>(() => store.WriteAcceptance(id, new AcceptanceSet(1, [])));
        Assert.Equal("stale_revision", stale.Code);
        Assert.Equal(1, Scalar("SELECT revision FROM mcpplan_acceptance WHERE plan_id = 'accepted'"));

        Scalar("UPDATE mcpplan_acceptance SET body = '\\x7b' WHERE plan_id = 'accepted' RETURNING 1");
        Assert.Equal("record_corrupt", Assert.Throws<PlanRefusedException>(() => store.ReadAcceptance(id)).Code);
    }

    [Fact]
    public void Import_and_export_move_every_plan_record_review_journal_line_and_claim_byte_for_byte()
    {
        using var source = new TempFolder();
        using var target = new TempFolder();
        var files = new FilePlanStore(source.Root, new PlanServerConfig());
        var id = PlanId.Parse("moved");
        var now = DateTimeOffset.UtcNow;
        using (files.AcquireLock())
        {
            files.WriteText(id, PlanFolder.Review, Text);
            files.Move(id, PlanFolder.Review, PlanFolder.Active);
            files.WriteRecord(new PlanRecord { Id = id.Value, Revision = 1, TextSha256 = PlanText.Sha256Hex(Text), Blockers = [new Blocker(1, null, "needs a key", now, null, null)] }, new JournalEntry { At = now, Actor = "planner", Action = "write_plan", Outcome = "ok" });
            files.WriteReviewMarkdown(id, 1, "# Review 1\n\nfine\n");
            files.AppendJournal(new JournalEntry { At = now, Actor = "implementer", Action = "commit_step", PlanId = id.Value, Outcome = "refused", Detail = "x" });
            files.WriteClaims(new ClaimBook(7, [new Claim(id.Value, 7, "s", 1, "h", "/w", now, now)]));
            files.WriteAcceptance(id, new AcceptanceSet(3, [new AcceptanceFile("tests/moved_test.py", "assert 1\n", "m")]));
        }

        var database = Open();
        Assert.Equal(1, StoreTransfer.Import(files, database));
        Assert.Empty(StoreTransfer.Compare(files, database));
        Assert.Equal("store_not_empty", Assert.Throws<PlanRefusedException>(() => StoreTransfer.Import(files, database)).Code);

        var exported = new FilePlanStore(target.Root, new PlanServerConfig());
        Assert.Equal(1, StoreTransfer.Export(database, exported));
        Assert.Empty(StoreTransfer.Compare(exported, database));
        Assert.Empty(exported.CheckIntegrity(null));
        foreach (var relative in new[] { "Active/moved.md", ".records/moved.json", ".records/moved.review-1.md", ".records/moved.acceptance.json", "journal.jsonl" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(files.RootPath, relative)), File.ReadAllBytes(Path.Combine(exported.RootPath, relative)));
        }

        Assert.Equal(files.ReadClaims().Claims, exported.ReadClaims().Claims);
        Assert.Equal("needs a key", Assert.Single(database.ReadRecord(id)!.Blockers).Question);
        Assert.Equal(3, database.ReadAcceptance(id).Revision);
    }

    [Fact]
    public void A_plan_read_whole_equals_its_separate_reads_after_every_kind_of_hand_edit_in_sql()
    {
        var store = Open();
        var id = PlanId.Parse("by-hand");
        PlanStoreContract.WritePlan(store, id, PlanFolder.Review, Text);

        Open("other").WriteRawRecord(id, 1, StoredJson.Record(PlanStoreContract.Record(id.Value, 1)));
        void Same() => PlanStoreContract.AssertSameRead(PlanStoreContract.ReadSeparately(store, id), store.ReadPlan(id));
        Same();
        Scalar("UPDATE mcpplan_plans SET body = convert_to('# Plan: Edited by hand', 'UTF8'), written_ticks = written_ticks + 7 WHERE plan_id = 'by-hand' RETURNING 1");
        Same();
        Assert.Equal("# Plan: Edited by hand", store.ReadPlan(id)!.Text);
        Scalar("UPDATE mcpplan_plans SET folder = 'Completed' WHERE plan_id = 'by-hand' RETURNING 1");
        Same();
        Scalar("UPDATE mcpplan_records SET body = convert_to(replace(convert_from(body, 'UTF8'), 'revision 1', 'retitled'), 'UTF8') WHERE repository = 'repo' RETURNING 1");
        Same();
        Assert.Equal("retitled", store.ReadPlan(id)!.Record!.Title);
        Scalar("DELETE FROM mcpplan_records WHERE repository = 'repo' RETURNING 1");
        Same();
        Assert.Null(store.ReadPlan(id)!.Record);

        // A text that is not UTF-8 is refused alike; the other repository's record of the same id is never read here.
        Scalar("UPDATE mcpplan_plans SET body = '\\xc328' WHERE plan_id = 'by-hand' RETURNING 1");
        var refusal = Assert.Throws<PlanRefusedException>(() => store.ReadPlan(id));
        Assert.Equal(RefusalCodes.InvalidUtf8, refusal.Code);
        Assert.Equal(refusal.Message, Assert.Throws<PlanRefusedException>(() => PlanStoreContract.ReadSeparately(store, id)).Message);
        Scalar("DELETE FROM mcpplan_plans WHERE plan_id = 'by-hand' RETURNING 1");
        Assert.Null(store.ReadPlan(id));
        Assert.Null(PlanStoreContract.ReadSeparately(store, id));
    }

    [Fact]
    public void A_plan_is_read_whole_in_one_statement_where_the_separate_reads_take_three()
    {
        var store = Open();
        var id = PlanId.Parse("one-trip");
        PlanStoreContract.WritePlan(store, id, PlanFolder.Active, Text);

        // Opened once first, so the pool's connection is not opened while counting.
        store.ReadPlan(id);
        Assert.Equal(1, NpgsqlCommands(() => store.ReadPlan(id)));
        Assert.Equal(3, NpgsqlCommands(() => PlanStoreContract.ReadSeparately(store, id)));
        Assert.Equal(1, NpgsqlCommands(() => store.ReadPlan(PlanId.Parse("no-such-plan"))));
    }

    /// <summary>
    /// How many commands Npgsql sent (each one round trip) while <paramref name="read"/> ran, counted from Npgsql's own
    /// tracing: one activity per command, under a parent activity of this flow, so other tests' commands are not counted.
    /// </summary>
    private static int NpgsqlCommands(Action read)
    {
        using var flow = new ActivitySource("McpPlanServer.Tests.RoundTrips");
        ActivityTraceId? trace = null;
        var commands = new ConcurrentBag<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source == flow || source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                options.Source == flow || options.Parent.TraceId == trace ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name == "Npgsql" && activity.TraceId == trace)
                {
                    commands.Add(activity.DisplayName);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        using (var parent = flow.StartActivity("read"))
        {
            trace = parent!.TraceId;
            read();
        }

        return commands.Count;
    }

    [Fact]
    public void Compare_names_what_differs_after_a_row_was_changed_by_hand()
    {
        using var source = new TempFolder();
        var files = new FilePlanStore(source.Root, new PlanServerConfig());
        var id = PlanId.Parse("changed");
        using (files.AcquireLock())
        {
            files.WriteText(id, PlanFolder.Review, Text);
            files.WriteRecord(new PlanRecord { Id = id.Value, Revision = 1, TextSha256 = PlanText.Sha256Hex(Text) }, new JournalEntry { At = DateTimeOffset.UtcNow, Actor = "planner", Action = "write_plan", Outcome = "ok" });
        }

        var database = Open();
        StoreTransfer.Import(files, database);
        Scalar("UPDATE mcpplan_records SET body = convert_to(replace(convert_from(body, 'UTF8'), '\"revision\": 1', '\"revision\": 1 '), 'UTF8') RETURNING 1");

        var differences = StoreTransfer.Compare(files, database);
        Assert.Contains("the record of 'changed' differs", differences);
        Assert.Contains(differences, difference => difference.StartsWith("the tamper check differs", StringComparison.Ordinal));
        Assert.Contains(database.CheckIntegrity(id), finding => finding.RecordChanged);
    }

    public void Dispose()
    {
        foreach (var store in opened)
        {
            store.Dispose();
        }
    }
}
