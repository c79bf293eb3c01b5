using System.Collections.Concurrent;
using System.Text.Json;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Diagnostics;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;
using Npgsql;

namespace McpPlanServer.Storage.Postgres;

/// <summary>
/// Plans, records, reviews, claims and the journal of one repository in a PostgreSQL database that several machines
/// (and several repositories, keyed by <see cref="Repository"/>) share. <see cref="AcquireLock"/> opens one transaction
/// holding the repository's advisory lock; every read and write made while it is held runs in that transaction, so a
/// change is all or nothing. Claims are rows changed only by a conditional update on their version and a plan has at most
/// one row, so two machines can never both hold it; records refuse stale writers by revision as the file store does. A claim
/// itself takes no repository lock (<see cref="Swap"/>: one statement, one round trip).
/// </summary>
public sealed class PostgresPlanStore : IPlanStore, IClaimRows, IDisposable
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Records per query of <see cref="ReadEveryRecord"/> (about 1 MB of rows).</summary>
    private const int RecordPage = 1000;
    private readonly NpgsqlDataSource dataSource;
    private readonly int maxPlanBytes;
    private readonly AsyncLocal<PostgresLockScope?> current = new();
    private readonly IFaultPoints faults;
    private readonly ConcurrentDictionary<string, (Claim Claim, long Version)> claimsRead = new(StringComparer.Ordinal);
    private volatile Listing? listing;

    /// <summary>False from a write of this process until the next listing: the kept stamps may predate that write.</summary>
    private volatile bool stampsCurrent;

    public PostgresPlanStore(NpgsqlDataSource dataSource, string repository, PlanServerConfig config, IFaultPoints? faults = null)
    {
        this.dataSource = dataSource;
        this.faults = faults ?? NoFaultPoints.Instance;
        Repository = repository;
        PlansRoot = config.PlansRoot.Replace('\\', '/').Trim('/');
        maxPlanBytes = config.MaxPlanBytes;
        PostgresSchema.Migrate(dataSource);
    }

    /// <summary>Opens the store named by the config (<c>MCPPLAN_STORE</c> overrides the connection).</summary>
    public static PostgresPlanStore Open(PlanServerConfig config, Func<string, string?> environment, IFaultPoints? faults = null)
    {
        var connection = config.Store.EffectiveConnection(environment)
            ?? throw new PlanRefusedException(
                "invalid_config",
                $"The config selects the PostgreSQL store but names no connection. Set store.connection (without a password) in the config or {StoreSettings.ConnectionVariable} in the environment.");
        var dataSource = PostgresConnection.Open(connection);
        try
        {
            return new PostgresPlanStore(dataSource, config.Store.Repository!, config, faults);
        }
        catch (NpgsqlException error)
        {
            dataSource.Dispose();
            throw Unreachable(error);
        }
        catch
        {
            dataSource.Dispose();
            throw;
        }
    }

    /// <summary>This repository's key in the shared database.</summary>
    public string Repository { get; }

    public string PlansRoot { get; }

    public NpgsqlDataSource DataSource => dataSource;

    public IDisposable AcquireLock()
    {
        if (current.Value is not null)
        {
            // Already inside this change (the same flow): it stays one transaction.
            return NoScope.Instance;
        }

        var connection = OpenConnection();
        try
        {
            var scope = new PostgresLockScope(connection, connection.BeginTransaction(), ended => current.Value = null, committing => SendJournalLines(committing, notify: committing.Changed));
            current.Value = scope;
            return scope;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Commits the change so far and lets go of the repository's lock until the result is disposed, which takes it again
    /// in a new transaction on the same connection: a commit_step's git commit no longer keeps every other machine's
    /// claims and changes waiting. Inside no change, or in one that already failed (it must roll back whole), nothing.
    /// </summary>
    public IDisposable ReleaseDuring()
    {
        if (current.Value is not { Failed: false } scope)
        {
            return LockKept.Instance;
        }

        scope.Suspend();
        current.Value = null;
        return new Relock(() =>
        {
            scope.Resume(scope.Connection.BeginTransaction());
            current.Value = scope;
        });
    }

    /// <summary>
    /// Takes, once per transaction, the advisory lock the change needs before its next statement: the repository's lock
    /// (<paramref name="journal"/> false) before any read or write of plans, records or claims, so a change's reads and
    /// writes are not interleaved with another machine's; the journal's lock before a journal line is appended, so the
    /// chain stays one line after another. A change that only journals (a refusal) takes only the journal's lock and never
    /// waits for a change of plans; a change always takes the repository's lock before the journal's. Refuses
    /// <c>busy</c> after <see cref="LockTimeout"/>.
    /// </summary>
    private void Lock(PostgresLockScope scope, bool journal)
    {
        if (journal ? scope.JournalLocked : scope.Locked)
        {
            return;
        }

        try
        {
            var waiting = System.Diagnostics.Stopwatch.GetTimestamp();
            using (var command = new NpgsqlCommand($"SET LOCAL lock_timeout = '{(int)LockTimeout.TotalMilliseconds}ms'; SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", scope.Connection, scope.Transaction))
            {
                command.Parameters.AddWithValue("key", (journal ? "mcpplan-journal:" : "mcpplan:") + Repository);
                command.ExecuteNonQuery();
            }

            BenchTimings.Record("wait", System.Diagnostics.Stopwatch.GetElapsedTime(waiting));
            scope.Taken(journal);
        }
        catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            throw Busy(journal);
        }
        catch (NpgsqlException error)
        {
            throw Unreachable(error);
        }
    }

    private PlanRefusedException Busy(bool journal) => new(
        RefusalCodes.Busy,
        $"Another mcpplan process has held the {(journal ? "journal's" : "repository's")} lock of repository '{Repository}' in the database for over {LockTimeout.TotalSeconds:0} s. Retry in a moment; if it persists, find the stuck session in pg_stat_activity (application_name mcpplan).");

    /// <summary>
    /// Every plan with its stamp. Outside a change the last listing is reused while the repository's listing version
    /// (bumped by a trigger on every row written to the plans and records tables, by mcpplan or by hand) is unchanged:
    /// one one-row query instead of moving 10,000 rows. Inside a change it reads afresh, seeing the change's own writes.
    /// </summary>
    public IReadOnlyList<PlanLocation> ListPlans() => current.Value is null ? Current().Locations : Read(command => ReadListing(command, -1).Locations);

    /// <summary>
    /// As <see cref="ListPlans"/>, by id and folder. While the listing version is unchanged the answer is the same list
    /// object, so a caller that keeps what it derived from a listing (its order, its overlaps) keeps it too.
    /// </summary>
    public IReadOnlyList<ListedPlan> ListPlanNames() => current.Value is null ? Current().Names : Read(command => ReadListing(command, -1).Names);

    /// <summary>
    /// The kept listing when the listing version proves it unchanged; after changes, the kept listing with only the rows
    /// written since its version read again (each row carries the listing version its write made, schema 5); read whole
    /// when there is none yet, a row left the listing since (a removal, which leaves no row to read), or the version went
    /// back (its row deleted by hand, a database restored): then no row's version can be trusted against the kept one.
    /// </summary>
    private Listing Current()
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var how = "kept";
        var kept = listing;
        var listed = Read(command =>
        {
            // The version first: rows read after it are at least as new, so a listing is never labelled newer than it is.
            // With a kept listing, the rows written since its version are asked for in the same round trip: read when the
            // version says they are all there is to read, dropped otherwise.
            command.CommandText = "SELECT coalesce(max(version), 0), coalesce(max(last_removal), 0) FROM mcpplan_listing_versions WHERE repository = @repository";
            if (kept is not null)
            {
                command.CommandText += ";\n" + ChangedRows;
                command.Parameters.AddWithValue("since", kept.Version);
                command.Parameters.AddWithValue("records", PlanLimits.ListedRecordsRead);
            }

            long version;
            using (var reader = command.ExecuteReader())
            {
                reader.Read();
                version = reader.GetInt64(0);
                var removal = reader.GetInt64(1);
                if (kept is not null && kept.Version == version)
                {
                    return kept;
                }

                if (kept is not null && version > kept.Version && removal <= kept.Version)
                {
                    how = "rows-since";
                    reader.NextResult();
                    return Changed(reader, kept, version);
                }
            }

            how = "whole";
            if (kept is not null)
            {
                // The rows-since parameters, sent with the version query, are not the whole listing's.
                command.Parameters.RemoveAt("since");
                command.Parameters.RemoveAt("records");
            }

            return ReadListing(command, version);
        });
        BenchTimings.Record("listing:" + how, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        listing = listed;
        stampsCurrent = true;
        return listed;
    }

    private static Listing ReadListing(NpgsqlCommand command, long version)
    {
        command.CommandText = $"{ListingColumns} FROM {ListingTables} WHERE p.repository = @repository";
        var rows = new Dictionary<PlanId, (PlanLocation Location, PlanFileStamp Stamp)>();
        using (var reader = command.ExecuteReader())
        {
            ReadRows(reader, rows);
        }

        return Listing.Of(version, rows);
    }

    /// <summary>
    /// The plans whose plan row or record row was written after <c>@since</c>, with their records: a listing summarizes
    /// exactly the plans that changed, so it reads their records here, in the same round trip and snapshot as their
    /// stamps, instead of one round trip per plan (<see cref="ReadListedRecord"/>). The changed ids as an array (an
    /// InitPlan): the rows are then fetched by primary key. As a join or IN, the planner guesses a third of the table has
    /// changed (no statistics on listed_at yet) and reads all 10,000 rows.
    /// </summary>
    private const string ChangedRows = $"""
        {ListingColumns}, count(*) OVER () <= @records, CASE WHEN count(*) OVER () <= @records THEN r.body END FROM {ListingTables} WHERE p.repository = @repository AND p.plan_id = ANY (ARRAY(
            SELECT plan_id FROM mcpplan_plans WHERE repository = @repository AND listed_at > @since
            UNION SELECT plan_id FROM mcpplan_records WHERE repository = @repository AND listed_at > @since))
        """;

    /// <summary>The kept listing with the rows <paramref name="reader"/> gives (<see cref="ChangedRows"/>) put in.</summary>
    private static Listing Changed(NpgsqlDataReader reader, Listing kept, long version)
    {
        var changed = new Dictionary<PlanId, (PlanLocation Location, PlanFileStamp Stamp)>();
        var records = new Dictionary<PlanId, byte[]?>();
        ReadRows(reader, changed, records);
        if (kept.Updated(version, changed) is { } updated)
        {
            return updated with { Records = records };
        }

        var rows = new Dictionary<PlanId, (PlanLocation Location, PlanFileStamp Stamp)>(kept.Locations.Length);
        foreach (var location in kept.Locations)
        {
            rows[location.Id] = (location, kept.Stamps[location.Id]);
        }

        foreach (var (id, row) in changed)
        {
            rows[id] = row;
        }

        return Listing.Of(version, rows) with { Records = records };
    }

    private const string ListingColumns = "SELECT p.plan_id, p.folder, p.written_ticks, octet_length(p.body), p.text_version, coalesce(octet_length(r.body), -1), coalesce(r.revision, -1)";

    private const string ListingTables = "mcpplan_plans p LEFT JOIN mcpplan_records r ON r.repository = p.repository AND r.plan_id = p.plan_id";

    /// <param name="records">When given, each row's record body (null: none) is read from the columns after the stamp's
    /// (whether the bodies were read at all: not when more than <see cref="PlanLimits.ListedRecordsRead"/> rows changed).</param>
    private static void ReadRows(NpgsqlDataReader reader, Dictionary<PlanId, (PlanLocation Location, PlanFileStamp Stamp)> rows, Dictionary<PlanId, byte[]?>? records = null)
    {
        while (reader.Read())
        {
            // A row whose id is not valid (inserted by hand) is not a plan, as a stray file in a state folder is not.
            if (PlanId.TryParse(reader.GetString(0), out var id, out _) && Enum.TryParse<PlanFolder>(reader.GetString(1), out var folder))
            {
                rows[id] = (new PlanLocation(id, folder, Time(reader.GetInt64(2))), new PlanFileStamp(reader.GetInt32(3), reader.GetInt64(4), reader.GetInt32(5), reader.GetInt64(6)));
                if (records is not null && reader.GetBoolean(7))
                {
                    records[id] = reader.IsDBNull(8) ? null : reader.GetFieldValue<byte[]>(8);
                }
            }
        }
    }

    public PlanLocation? Locate(PlanId id) => Read(command =>
    {
        command.CommandText = "SELECT folder, written_ticks FROM mcpplan_plans WHERE repository = @repository AND plan_id = @plan";
        command.Parameters.AddWithValue("plan", id.Value);
        using var reader = command.ExecuteReader();
        return reader.Read() && Enum.TryParse<PlanFolder>(reader.GetString(0), out var folder)
            ? new PlanLocation(id, folder, Time(reader.GetInt64(1)))
            : null;
    });

    public string ReadText(PlanLocation location)
    {
        var bytes = Read(command =>
        {
            command.CommandText = "SELECT body FROM mcpplan_plans WHERE repository = @repository AND plan_id = @plan AND folder = @folder";
            command.Parameters.AddWithValue("plan", location.Id.Value);
            command.Parameters.AddWithValue("folder", location.Folder.ToString());
            return command.ExecuteScalar() as byte[];
        }) ?? throw new PlanRefusedException("plan_moved", $"Plan '{location.Id}' left {location.Folder}/ while it was being read (another process moved it). Read it again.");
        return Decode(location.Id, bytes);
    }

    /// <summary>
    /// Location, text and record in one statement (one round trip instead of three, on the path of every tool), from one
    /// snapshot: the plan cannot move between locating and reading it. Refuses as <see cref="ReadText"/> and
    /// <see cref="ReadRecord"/> do, the text first.
    /// </summary>
    public StoredPlan? ReadPlan(PlanId id)
    {
        var row = Read(command =>
        {
            command.CommandText = """
                SELECT p.folder, p.written_ticks, p.body, r.body
                FROM mcpplan_plans p LEFT JOIN mcpplan_records r ON r.repository = p.repository AND r.plan_id = p.plan_id
                WHERE p.repository = @repository AND p.plan_id = @plan
                """;
            command.Parameters.AddWithValue("plan", id.Value);
            using var reader = command.ExecuteReader();
            return reader.Read() && Enum.TryParse<PlanFolder>(reader.GetString(0), out var folder)
                ? (new PlanLocation(id, folder, Time(reader.GetInt64(1))), reader.GetFieldValue<byte[]>(2), reader.IsDBNull(3) ? null : reader.GetFieldValue<byte[]>(3))
                : ((PlanLocation Location, byte[] Text, byte[]? Record)?)null;
        });
        if (row is not var (location, text, record))
        {
            return null;
        }

        var decoded = Decode(id, text);
        return new StoredPlan(location, decoded, record is null ? null : Parse(id, record));
    }

    /// <summary>A plan's text as stored, validated as every plan text is read (size limit, UTF-8).</summary>
    private string Decode(PlanId id, byte[] bytes)
    {
        if (bytes.Length > maxPlanBytes)
        {
            throw new PlanRefusedException(
                "plan_too_large",
                $"Plan '{id}' is {bytes.Length} bytes; the limit is {maxPlanBytes} (maxPlanBytes in the config). Shorten the plan.");
        }

        return PlanText.Decode(bytes, maxPlanBytes);
    }

    /// <summary>The plan's text as stored, byte for byte, with its state and time; null when the plan has none.</summary>
    public (PlanFolder Folder, byte[] Bytes, DateTimeOffset WrittenAt)? ReadTextBytes(PlanId id) => Read(command =>
    {
        command.CommandText = "SELECT folder, body, written_ticks FROM mcpplan_plans WHERE repository = @repository AND plan_id = @plan";
        command.Parameters.AddWithValue("plan", id.Value);
        using var reader = command.ExecuteReader();
        return reader.Read() && Enum.TryParse<PlanFolder>(reader.GetString(0), out var folder)
            ? (folder, reader.GetFieldValue<byte[]>(1), Time(reader.GetInt64(2)))
            : ((PlanFolder, byte[], DateTimeOffset)?)null;
    });

    /// <summary>Writes a record's bytes as given, without a journal line (an import brings the source's lines along).</summary>
    public void WriteRawRecord(PlanId id, long revision, byte[] bytes) => Write(command =>
    {
        command.CommandText = """
            INSERT INTO mcpplan_records (repository, plan_id, revision, body, written_at) VALUES (@repository, @plan, @revision, @body, clock_timestamp());
            INSERT INTO mcpplan_record_revisions (repository, plan_id, revision, body, written_at) VALUES (@repository, @plan, @revision, @body, clock_timestamp())
            """;
        command.Parameters.AddWithValue("plan", id.Value);
        command.Parameters.AddWithValue("revision", revision);
        command.Parameters.AddWithValue("body", bytes);
        return command.ExecuteNonQuery();
    });

    public PlanRecord? ReadRecord(PlanId id) => ReadRecordBytes(id) is { } bytes ? Parse(id, bytes) : null;

    /// <summary>
    /// The record the last listing read with the plan's stamp (<see cref="ChangedRows"/>: the plans written since the
    /// listing before it, up to <see cref="PlanLimits.ListedRecordsRead"/>) while <paramref name="stamp"/> is that stamp and no write of this process came since, as
    /// <see cref="Stamp"/> trusts the listing; otherwise read now. Refuses a corrupt record as <see cref="ReadRecord"/> does.
    /// </summary>
    public PlanRecord? ReadListedRecord(PlanId id, PlanFileStamp stamp)
    {
        if (current.Value is null && stampsCurrent && listing is { } kept && kept.Records.TryGetValue(id, out var body)
            && kept.Stamps.TryGetValue(id, out var listed) && listed == stamp)
        {
            return body is null ? null : Parse(id, body);
        }

        return ReadRecord(id);
    }

    /// <summary>
    /// Every plan's record, <see cref="RecordPage"/> plans per query in id order (each query its own snapshot, as each
    /// <see cref="ReadRecord"/> is), parsed one at a time: the start-up pass over 10,000 plans makes 10 round trips instead
    /// of a transaction per plan, and keeps no record. A record that does not parse is left out (read alone, it is refused).
    /// </summary>
    public IEnumerable<(PlanId Id, PlanRecord? Record)> ReadEveryRecord()
    {
        var after = string.Empty;
        while (true)
        {
            var page = Read(command =>
            {
                command.CommandText = """
                    SELECT p.plan_id, r.body FROM mcpplan_plans p LEFT JOIN mcpplan_records r ON r.repository = p.repository AND r.plan_id = p.plan_id
                    WHERE p.repository = @repository AND p.plan_id > @after ORDER BY p.plan_id LIMIT @limit
                    """;
                command.Parameters.AddWithValue("after", after);
                command.Parameters.AddWithValue("limit", RecordPage);
                var rows = new List<(string Plan, byte[]? Body)>(RecordPage);
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<byte[]>(1)));
                }

                return rows;
            });
            foreach (var (plan, body) in page)
            {
                if (!PlanId.TryParse(plan, out var id, out _))
                {
                    continue;
                }

                PlanRecord? record;
                try
                {
                    record = body is null ? null : StoredJson.ParseRecord(body);
                }
                catch (JsonException)
                {
                    continue;
                }

                yield return (id, record);
            }

            if (page.Count < RecordPage)
            {
                yield break;
            }

            after = page[^1].Plan;
        }
    }

    /// <summary>The record as stored, byte for byte (its SHA-256 is what the journal line recorded).</summary>
    public byte[]? ReadRecordBytes(PlanId id) => Read(command =>
    {
        command.CommandText = "SELECT body FROM mcpplan_records WHERE repository = @repository AND plan_id = @plan";
        command.Parameters.AddWithValue("plan", id.Value);
        return command.ExecuteScalar() as byte[];
    });

    /// <summary>
    /// From the last listing (the stamps of the plans it read at its version) while no write of this process came since;
    /// otherwise read. Callers list first in each call (<see cref="ListPlanNames"/> proves the listing current).
    /// </summary>
    public PlanFileStamp? Stamp(PlanLocation location)
    {
        if (stampsCurrent && listing is { } kept && kept.Stamps.TryGetValue(location.Id, out var stamp))
        {
            return stamp;
        }

        return Read(command =>
        {
            command.CommandText = """
                SELECT octet_length(p.body), p.text_version, coalesce(octet_length(r.body), -1), coalesce(r.revision, -1)
                FROM mcpplan_plans p LEFT JOIN mcpplan_records r ON r.repository = p.repository AND r.plan_id = p.plan_id
                WHERE p.repository = @repository AND p.plan_id = @plan AND p.folder = @folder
                """;
            command.Parameters.AddWithValue("plan", location.Id.Value);
            command.Parameters.AddWithValue("folder", location.Folder.ToString());
            using var reader = command.ExecuteReader();
            return reader.Read() ? new PlanFileStamp(reader.GetInt32(0), reader.GetInt64(1), reader.GetInt32(2), reader.GetInt64(3)) : null;
        });
    }

    public DateTimeOffset WriteText(PlanId id, PlanFolder folder, string text)
    {
        PlanText.CheckText(text, maxPlanBytes);
        return WriteText(id, folder, System.Text.Encoding.UTF8.GetBytes(text), null);
    }

    /// <summary>Writes the text's bytes as given; <paramref name="writtenAt"/> keeps an imported file's time.</summary>
    public DateTimeOffset WriteText(PlanId id, PlanFolder folder, byte[] bytes, DateTimeOffset? writtenAt) => Write(command =>
    {
        current.Value!.PlanStateChanged = true;
        command.CommandText = """
            INSERT INTO mcpplan_plans AS p (repository, plan_id, folder, body, text_version, written_ticks)
            VALUES (@repository, @plan, @folder, @body, 1, @ticks)
            ON CONFLICT (repository, plan_id) DO UPDATE SET body = excluded.body, text_version = p.text_version + 1, written_ticks = excluded.written_ticks
            WHERE p.folder = excluded.folder
            RETURNING written_ticks
            """;
        command.Parameters.AddWithValue("plan", id.Value);
        command.Parameters.AddWithValue("folder", folder.ToString());
        command.Parameters.AddWithValue("body", bytes);
        command.Parameters.AddWithValue("ticks", (writtenAt ?? DateTimeOffset.UtcNow).UtcTicks);
        return command.ExecuteScalar() is long ticks
            ? Time(ticks)
            : throw new PlanRefusedException(
                "duplicate_plan",
                $"Plan '{id}' is already in another state than {folder}/, so its text cannot be written there. Read the plan again; it moved.");
    });

    public void Move(PlanId id, PlanFolder from, PlanFolder to) => Write(command =>
    {
        current.Value!.PlanStateChanged = true;
        faults.Reached("store:before-move");
        command.CommandText = "UPDATE mcpplan_plans SET folder = @to WHERE repository = @repository AND plan_id = @plan AND folder = @from";
        command.Parameters.AddWithValue("plan", id.Value);
        command.Parameters.AddWithValue("from", from.ToString());
        command.Parameters.AddWithValue("to", to.ToString());
        return command.ExecuteNonQuery() == 1
            ? 0
            : throw new PlanRefusedException("plan_moved", $"Plan '{id}' is no longer in {from}/ (another process moved it), so it cannot move to {to}/. Read it again.");
    });

    public void WriteRecord(PlanRecord record, JournalEntry entry)
    {
        var id = PlanId.Parse(record.Id);
        var bytes = StoredJson.Record(record);
        Write(command =>
        {
            // Under the advisory lock the stored revision cannot change between this read and the write below; the
            // conditional update still refuses a writer that holds no lock.
            // Whether the plan's state (status or folder) changes too: then servers are told, not only boards.
            command.CommandText = "SELECT revision, body FROM mcpplan_records WHERE repository = @repository AND plan_id = @plan FOR UPDATE";
            command.Parameters.AddWithValue("plan", id.Value);
            long storedRevision;
            using (var stored = command.ExecuteReader())
            {
                var found = stored.Read();
                storedRevision = found ? stored.GetInt64(0) : 0;
                current.Value!.PlanStateChanged |= !found || RecordState.Of(stored.GetFieldValue<byte[]>(1)) != RecordState.Of(bytes);
            }

            if (storedRevision != record.Revision - 1)
            {
                throw StaleRevision(id, storedRevision, record.Revision);
            }

            Pending(entry with { PlanId = id.Value, Revision = record.Revision, RecordSha256 = JsonlJournal.LineSha256(bytes) });
            faults.Reached("postgres:before-record");
            using var write = new NpgsqlCommand(
                """
                INSERT INTO mcpplan_records AS r (repository, plan_id, revision, body, written_at) VALUES (@repository, @plan, @revision, @body, clock_timestamp())
                ON CONFLICT (repository, plan_id) DO UPDATE SET revision = excluded.revision, body = excluded.body, written_at = excluded.written_at
                WHERE r.revision = @revision - 1;
                INSERT INTO mcpplan_record_revisions (repository, plan_id, revision, body, written_at) VALUES (@repository, @plan, @revision, @body, clock_timestamp())
                ON CONFLICT (repository, plan_id, revision) DO UPDATE SET body = excluded.body, written_at = excluded.written_at;
                """,
                command.Connection,
                command.Transaction);
            write.Parameters.AddWithValue("repository", Repository);
            write.Parameters.AddWithValue("plan", id.Value);
            write.Parameters.AddWithValue("revision", record.Revision);
            write.Parameters.AddWithValue("body", bytes);
            return write.ExecuteNonQuery() >= 2 ? 0 : throw StaleRevision(id, -1, record.Revision);
        });
    }

    public IReadOnlyList<TamperFinding> CheckIntegrity(PlanId? id) => JournalIntegrity.Check(
        ScanJournal(),
        id,
        plan => ReadRecordBytes(plan) is { } bytes ? (bytes, Parse(plan, bytes)) : null,
        plan => $"the record of '{plan}' (repository '{Repository}' in the database)");

    public void WriteReviewMarkdown(PlanId id, int iteration, string markdown) => Write(command =>
    {
        command.CommandText = """
            INSERT INTO mcpplan_reviews (repository, plan_id, iteration, markdown) VALUES (@repository, @plan, @iteration, @markdown)
            ON CONFLICT (repository, plan_id, iteration) DO UPDATE SET markdown = excluded.markdown
            """;
        command.Parameters.AddWithValue("plan", id.Value);
        command.Parameters.AddWithValue("iteration", iteration);
        command.Parameters.AddWithValue("markdown", markdown);
        return command.ExecuteNonQuery();
    });

    public IReadOnlyList<(int Iteration, string Markdown)> ReadReviewMarkdowns(PlanId id) => Read(command =>
    {
        command.CommandText = "SELECT iteration, markdown FROM mcpplan_reviews WHERE repository = @repository AND plan_id = @plan ORDER BY iteration";
        command.Parameters.AddWithValue("plan", id.Value);
        var reviews = new List<(int, string)>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            reviews.Add((reader.GetInt32(0), reader.GetString(1)));
        }

        return reviews;
    });

    public AcceptanceSet ReadAcceptance(PlanId id)
    {
        var bytes = ReadAcceptanceBytes(id);
        try
        {
            return bytes is null ? AcceptanceSet.Empty : StoredJson.ParseAcceptance(bytes);
        }
        catch (JsonException error)
        {
            throw new PlanRefusedException(
                "record_corrupt",
                $"The acceptance files of '{id}' (repository '{Repository}' in the database) cannot be read ({error.Message}). Delete its row in mcpplan_acceptance and let the planner write the tests again (write_acceptance_file).");
        }
    }

    /// <summary>The acceptance files as stored, byte for byte; null when none were written.</summary>
    public byte[]? ReadAcceptanceBytes(PlanId id) => Read(command =>
    {
        command.CommandText = "SELECT body FROM mcpplan_acceptance WHERE repository = @repository AND plan_id = @plan";
        command.Parameters.AddWithValue("plan", id.Value);
        return command.ExecuteScalar() as byte[];
    });

    /// <summary>
    /// Replaces the plan's acceptance files in the change's transaction. The row moves only from the revision before
    /// <see cref="AcceptanceSet.Revision"/> (the workflow checks it under the lock; this refuses a writer that holds none).
    /// </summary>
    public void WriteAcceptance(PlanId id, AcceptanceSet set) => WriteAcceptanceBytes(id, set.Revision, StoredJson.Acceptance(set), requirePrevious: true);

    /// <summary>Writes the acceptance files' bytes as given; an import (<paramref name="requirePrevious"/> false) keeps the source's revision.</summary>
    public void WriteAcceptanceBytes(PlanId id, long revision, byte[] bytes, bool requirePrevious) => Write(command =>
    {
        command.CommandText = $"""
            INSERT INTO mcpplan_acceptance AS a (repository, plan_id, revision, body, written_at) VALUES (@repository, @plan, @revision, @body, clock_timestamp())
            ON CONFLICT (repository, plan_id) DO UPDATE SET revision = excluded.revision, body = excluded.body, written_at = excluded.written_at
            {(requirePrevious ? "WHERE a.revision = excluded.revision - 1" : string.Empty)}
            """;
        command.Parameters.AddWithValue("plan", id.Value);
        command.Parameters.AddWithValue("revision", revision);
        command.Parameters.AddWithValue("body", bytes);
        return command.ExecuteNonQuery() == 1
            ? 0
            : throw new PlanRefusedException(
                "stale_revision",
                $"The acceptance files of '{id}' changed while this write was being made (based on revision {revision - 1}). read_plan, then write again with the revision it shows.");
    });

    /// <summary>Part of the change: the line is sent as the change commits (<see cref="SendJournalLines"/>).</summary>
    public void AppendJournal(JournalEntry entry) =>
        Write(_ => Pending(entry), changes: false, journalOnly: true);

    /// <summary>
    /// A line alone (a refused call's) in one round trip and a transaction of its own: the journal's lock is held only
    /// while the database appends it, never while this process waits for its CPU. Inside a change, part of it.
    /// </summary>
    public void AppendJournalAlone(JournalEntry entry)
    {
        if (current.Value is not null)
        {
            AppendJournal(entry);
            return;
        }

        try
        {
            using var connection = OpenConnection();
            using var append = new NpgsqlBatch(connection) { BatchCommands = { ClaimSwap.Append(Repository, entry) } };
            append.ExecuteNonQuery();
        }
        catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            throw Busy(journal: true);
        }
        catch (NpgsqlException error)
        {
            throw Unreachable(error);
        }
    }

    /// <summary>This store changes a claim as one conditional update of its row, without the repository's lock.</summary>
    public IClaimRows? ClaimRows => this;

    /// <summary>
    /// One claim changed in a transaction of its own and one round trip (<see cref="ClaimSwap"/>): never inside another
    /// change, never behind the repository's lock. The row is changed only from the version <see cref="ReadClaims"/> saw
    /// for <paramref name="expected"/>; a new claim's fence comes from the counter in the same statement.
    /// </summary>
    public Claim? Swap(string planId, Claim? expected, Claim? next, Func<Claim, JournalEntry>? line)
    {
        if (current.Value is not null)
        {
            throw new InvalidOperationException("A claim row is changed in a transaction of its own, not inside another change.");
        }

        long? version = null;
        if (expected is not null)
        {
            version = claimsRead.TryGetValue(planId, out var read) && read.Claim == expected ? read.Version : throw ClaimChanged(planId);
        }

        var stored = next is { Fence: 0 } ? next with { Fence = ClaimSwap.Unassigned } : next;
        var subject = stored ?? expected ?? throw new ArgumentException("A claim change needs the claim it replaces or a new claim.", nameof(next));
        try
        {
            using var connection = OpenConnection();
            using var command = ClaimSwap.Swap(connection, Repository, planId, version, stored, line?.Invoke(subject));
            var fence = (long)command.ExecuteScalar()!;
            claimsRead.TryRemove(planId, out _);
            return stored is null ? null : stored with { Fence = fence };
        }
        catch (PostgresException error) when (error.SqlState is ClaimSwap.Conflict or PostgresErrorCodes.DeadlockDetected)
        {
            throw ClaimChanged(planId);
        }
        catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            throw Busy(journal: line is not null);
        }
        catch (NpgsqlException error)
        {
            throw Unreachable(error);
        }
    }

    private static PlanRefusedException ClaimChanged(string plan) => new(
        RefusalCodes.ClaimConflict,
        $"The claim on '{plan}' changed in the database since this session read it (another machine claimed or released it). Nothing was changed; call claim_plan again to see who holds it.");

    /// <summary>Appends lines exactly as given (an import keeps the source's chain and record hashes byte for byte).</summary>
    public void AppendRawJournalLines(IEnumerable<byte[]> lines) => Write(command =>
    {
        Lock(current.Value!, journal: true);
        foreach (var line in lines)
        {
            InsertJournalLine(command.Connection!, command.Transaction, line);
        }

        return 0;
    });

    public IReadOnlyList<JournalEntry> ReadJournal() => [.. ReadJournalLines().Select(line => StoredJson.ParseJournalLine(line.Bytes))];

    /// <summary>Every journal line as stored, in order.</summary>
    public IReadOnlyList<(int Number, byte[] Bytes)> ReadJournalLines() => Read(command =>
    {
        if (current.Value is { PendingLines.Count: > 0 } scope)
        {
            // Inside a change that appended lines: they are part of the journal it reads.
            SendJournalLines(scope, notify: false);
        }

        command.CommandText = "SELECT line_number, line FROM mcpplan_journal WHERE repository = @repository ORDER BY line_number";
        var lines = new List<(int, byte[])>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            lines.Add((reader.GetInt32(0), reader.GetFieldValue<byte[]>(1)));
        }

        return lines;
    });

    public ClaimBook ReadClaims()
    {
        var (lastFence, claims) = Read(command =>
        {
            command.CommandText = """
                SELECT coalesce((SELECT last_fence FROM mcpplan_claim_books WHERE repository = @repository), 0);
                SELECT plan_id, version, body FROM mcpplan_claims WHERE repository = @repository ORDER BY fence
                """;
            using var reader = command.ExecuteReader();
            reader.Read();
            var fence = reader.GetInt64(0);
            reader.NextResult();
            var rows = new List<(string Plan, long Version, byte[] Body)>();
            while (reader.Read())
            {
                rows.Add((reader.GetString(0), reader.GetInt64(1), reader.GetFieldValue<byte[]>(2)));
            }

            return (fence, rows);
        });
        if (current.Value is { } scope)
        {
            scope.ClaimVersionsRead = claims.ToDictionary(row => row.Plan, row => (row.Version, row.Body), StringComparer.Ordinal);
            scope.LastFenceRead = lastFence;
        }

        try
        {
            var book = new ClaimBook(lastFence, [.. claims.Select(row => StoredJson.ParseClaim(row.Body))]);
            for (var index = 0; index < claims.Count; index++)
            {
                claimsRead[claims[index].Plan] = (book.Claims[index], claims[index].Version);
            }

            return book;
        }
        catch (JsonException error)
        {
            throw new PlanRefusedException(
                "claims_corrupt",
                $"A claim of repository '{Repository}' in the database cannot be read ({error.Message}). Delete the repository's rows in mcpplan_claims: every claim ends, and sessions claim again.");
        }
    }

    /// <summary>
    /// Replaces the claims: each row is inserted, updated or deleted only if its version is still the one this change
    /// read (or, when nothing was read, the one stored now), so a claim changed by anyone else since is never overwritten.
    /// Only the rows written are locked (by their own update), and the fence counter's row only by a book that hands out
    /// new fences: a commit_step renewing its claim no longer keeps every other machine's claim and release waiting until
    /// its change commits. A book that hands out new fences locks the counter first (as <see cref="Swap"/> does, so the
    /// two never wait for each other in a circle) and is written only while the counter is still at what this change
    /// read: a claim taken meanwhile without the repository's lock took the next number, and it is never handed out twice.
    /// </summary>
    public void WriteClaims(ClaimBook book) => Write(command =>
    {
        var connection = command.Connection!;
        var transaction = command.Transaction;
        // The counter the book's new fences were numbered from: as this change read it, or as stored now.
        command.CommandText = "SELECT coalesce((SELECT last_fence FROM mcpplan_claim_books WHERE repository = @repository), 0)";
        var numberedFrom = current.Value?.LastFenceRead ?? (long)command.ExecuteScalar()!;
        var handsOutFences = book.LastFence > numberedFrom;
        if (handsOutFences)
        {
            command.CommandText = """
                INSERT INTO mcpplan_claim_books (repository, last_fence) VALUES (@repository, 0) ON CONFLICT (repository) DO NOTHING;
                SELECT last_fence FROM mcpplan_claim_books WHERE repository = @repository FOR UPDATE
                """;
            var counter = (long)command.ExecuteScalar()!;
            if (counter != numberedFrom)
            {
                throw new PlanRefusedException(
                    RefusalCodes.ClaimConflict,
                    $"Another session took a claim of repository '{Repository}' while this change was being made (fence {numberedFrom} → {counter}). Nothing was changed; retry.");
            }
        }

        var stored = new Dictionary<string, (long Version, byte[] Body)>(StringComparer.Ordinal);
        command.CommandText = "SELECT plan_id, version, body FROM mcpplan_claims WHERE repository = @repository";
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                stored[reader.GetString(0)] = (reader.GetInt64(1), reader.GetFieldValue<byte[]>(2));
            }
        }

        // What this change read (or, when it read nothing, what is stored now): a row the book leaves as it was read is not
        // written at all, so a claim another session took or released meanwhile without the lock (Swap) stays as it is.
        var seen = current.Value?.ClaimVersionsRead ?? stored;
        var wanted = book.Claims.ToDictionary(claim => claim.PlanId, StringComparer.Ordinal);
        foreach (var (plan, (version, _)) in seen.Where(pair => !wanted.ContainsKey(pair.Key)))
        {
            Claims(connection, transaction, "DELETE FROM mcpplan_claims WHERE repository = @repository AND plan_id = @plan AND version = @version", plan, version, null);
        }

        foreach (var claim in book.Claims)
        {
            var body = StoredJson.Claim(claim);
            if (seen.TryGetValue(claim.PlanId, out var read))
            {
                var version = read.Version;
                if (!read.Body.AsSpan().SequenceEqual(body))
                {
                    Claims(connection, transaction, "UPDATE mcpplan_claims SET version = version + 1, fence = @fence, session_id = @session, body = @body WHERE repository = @repository AND plan_id = @plan AND version = @version", claim.PlanId, version, claim);
                }
            }
            else
            {
                Claims(connection, transaction, "INSERT INTO mcpplan_claims (repository, plan_id, version, fence, session_id, body) VALUES (@repository, @plan, 1, @fence, @session, @body) ON CONFLICT DO NOTHING", claim.PlanId, 0, claim);
            }
        }

        if (handsOutFences)
        {
            using var fence = new NpgsqlCommand(
                "UPDATE mcpplan_claim_books SET last_fence = greatest(last_fence, @fence) WHERE repository = @repository",
                connection,
                transaction);
            fence.Parameters.AddWithValue("repository", Repository);
            fence.Parameters.AddWithValue("fence", book.LastFence);
            fence.ExecuteNonQuery();
        }

        if (current.Value is { } scope)
        {
            scope.ClaimVersionsRead = null;
            scope.LastFenceRead = null;
        }

        return 0;
    });

    public IReadOnlyList<BadFile> LinkProblems(bool includePlanFiles) => [];

    public void Dispose() => dataSource.Dispose();

    private void Claims(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, string plan, long version, Claim? claim)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("repository", Repository);
        command.Parameters.AddWithValue("plan", plan);
        command.Parameters.AddWithValue("version", version);
        if (claim is not null)
        {
            command.Parameters.AddWithValue("fence", claim.Fence);
            command.Parameters.AddWithValue("session", claim.SessionId);
            command.Parameters.AddWithValue("body", StoredJson.Claim(claim));
        }

        if (command.ExecuteNonQuery() != 1)
        {
            throw new PlanRefusedException(
                "claim_conflict",
                $"The claim on '{plan}' changed in the database since this session read it (another machine claimed or released it). Nothing was changed; call claim_plan again to see who holds it.");
        }
    }

    private JournalScan ScanJournal()
    {
        var chain = new JournalChain();
        foreach (var (number, bytes) in ReadJournalLines())
        {
            JournalEntry entry;
            try
            {
                entry = StoredJson.ParseJournalLine(bytes);
            }
            catch (JsonException error)
            {
                throw new PlanRefusedException(
                    "journal_corrupt",
                    $"Journal line {number} of repository '{Repository}' in the database is not valid JSON ({error.Message}). Restore it from a backup or delete that row; every other line is intact.");
            }

            chain.Add(number, entry, JsonlJournal.LineSha256(bytes));
        }

        return chain.Scan();
    }

    private int Pending(JournalEntry entry)
    {
        current.Value!.PendingLines.Add(entry);
        return 0;
    }

    /// <summary>
    /// Sends the change's journal lines (<see cref="ClaimSwap.Append"/>: the journal's lock, the previous line's SHA-256 and
    /// the insert run in the database) and, when it changed anything, its notification, in one round trip just before it
    /// commits (or before the change reads the journal). So the journal's lock, which every claim, release and refusal of
    /// every machine takes, is held from there to the commit only, never across the change's other round trips.
    /// </summary>
    private void SendJournalLines(PostgresLockScope scope, bool notify)
    {
        if (scope.PendingLines.Count == 0 && !notify)
        {
            return;
        }

        var waiting = System.Diagnostics.Stopwatch.GetTimestamp();
        using var batch = new NpgsqlBatch(scope.Connection, scope.Transaction);
        foreach (var entry in scope.PendingLines)
        {
            batch.BatchCommands.Add(ClaimSwap.Append(Repository, entry));
        }

        if (notify)
        {
            // Activity is announced only while a board watches (schema 6); a plan's text, folder or status always.
            var (channel, send) = scope.PlanStateChanged ? (PostgresChangeListener.Channel, "pg_notify") : (PostgresChangeListener.ActivityChannel, "mcpplan_notify_activity");
            var notification = new NpgsqlBatchCommand($"SELECT {send}($1, $2)");
            notification.Parameters.Add(new NpgsqlParameter { Value = channel, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            notification.Parameters.Add(new NpgsqlParameter { Value = Repository, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            batch.BatchCommands.Add(notification);
        }

        try
        {
            batch.ExecuteNonQuery();
        }
        catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            scope.Failed = true;
            throw Busy(journal: true);
        }
        catch (NpgsqlException error)
        {
            scope.Failed = true;
            throw Unreachable(error);
        }

        if (scope.PendingLines.Count > 0 && !scope.JournalLocked)
        {
            BenchTimings.Record("wait", System.Diagnostics.Stopwatch.GetElapsedTime(waiting));
            scope.Taken(journal: true);
        }

        scope.PendingLines.Clear();
    }

    private void InsertJournalLine(NpgsqlConnection connection, NpgsqlTransaction? transaction, byte[] line)
    {
        using var insert = new NpgsqlCommand(
            "INSERT INTO mcpplan_journal (repository, line_number, line) SELECT @repository, coalesce(max(line_number), 0) + 1, @line FROM mcpplan_journal WHERE repository = @repository",
            connection,
            transaction);
        insert.Parameters.AddWithValue("repository", Repository);
        insert.Parameters.AddWithValue("line", line);
        insert.ExecuteNonQuery();
    }

    /// <summary>Times are kept as UTC ticks: a file's last-write time survives an import and export exactly.</summary>
    private static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);

    private PlanRecord Parse(PlanId id, byte[] bytes)
    {
        try
        {
            return StoredJson.ParseRecord(bytes);
        }
        catch (JsonException error)
        {
            throw new PlanRefusedException(
                "record_corrupt",
                $"The record of '{id}' (repository '{Repository}' in the database) cannot be read ({error.Message}). Restore it from a backup (mcpplan store export keeps one) or delete its row to rebuild it from the plan text (progress and reviews are then lost).");
        }
    }

    private static PlanRefusedException StaleRevision(PlanId id, long stored, long revision) => new(
        "stale_revision",
        stored < 0
            ? $"The record of '{id}' changed while this write was being made (based on revision {revision - 1}). Read the plan again and retry."
            : $"The record of '{id}' is at revision {stored}; this write was based on revision {revision - 1}. Read the plan again and retry.");

    /// <summary>A read: in the current change's transaction when one is open (it sees its own writes), else on its own.</summary>
    private T Read<T>(Func<NpgsqlCommand, T> query)
    {
        if (current.Value is { } scope)
        {
            Lock(scope, journal: false);
            using var command = new NpgsqlCommand(null, scope.Connection, scope.Transaction);
            command.Parameters.AddWithValue("repository", Repository);
            return query(command);
        }

        using var connection = OpenConnection();
        using var own = new NpgsqlCommand(null, connection);
        own.Parameters.AddWithValue("repository", Repository);
        return query(own);
    }

    /// <summary>
    /// A write: part of the current change, or a change of its own (lock, write, commit). A write that fails marks the
    /// change failed, so nothing it wrote is committed.
    /// </summary>
    private T Write<T>(Func<NpgsqlCommand, T> change, bool changes = true, bool journalOnly = false)
    {
        if (current.Value is not { } scope)
        {
            using (AcquireLock())
            {
                return Write(change, changes, journalOnly);
            }
        }

        try
        {
            if (!journalOnly)
            {
                // A journal-only change takes the journal's lock in its append (one round trip).
                Lock(scope, journal: false);
            }

            using var command = new NpgsqlCommand(null, scope.Connection, scope.Transaction);
            command.Parameters.AddWithValue("repository", Repository);
            var result = change(command);
            scope.Changed |= changes;
            stampsCurrent = false;
            return result;
        }
        catch (NpgsqlException error)
        {
            scope.Failed = true;
            throw Unreachable(error);
        }
        catch
        {
            scope.Failed = true;
            throw;
        }
    }

    private NpgsqlConnection OpenConnection()
    {
        try
        {
            return dataSource.OpenConnection();
        }
        catch (NpgsqlException error)
        {
            throw Unreachable(error);
        }
    }

    private static PlanRefusedException Unreachable(NpgsqlException error) => error is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }
        ? new PlanRefusedException("claim_conflict", $"Another machine wrote the same row at the same moment ({error.Message}). Nothing was changed; retry.")
        : new PlanRefusedException(
            "store_unavailable",
            $"The PostgreSQL store cannot be used: {error.Message}. Check that the database server runs and that store.connection / {StoreSettings.ConnectionVariable} and the password (PGPASSWORD or ~/.pgpass) are right; nothing was changed.");

    /// <summary>A listing as read at a listing version (-1 when read inside a change, never reused): the same plans as
    /// locations and as names (one list object each for the listing's life), in the listing's order (state, then id),
    /// each plan's stamp, and where each plan is in that order.</summary>
    private sealed record Listing(long Version, PlanLocation[] Locations, ListedPlan[] Names, Dictionary<PlanId, PlanFileStamp> Stamps, Dictionary<PlanId, int> Positions)
    {
        /// <summary>The records read with this listing (the plans written since the one before it), by plan; null body: no record.</summary>
        public Dictionary<PlanId, byte[]?> Records { get; init; } = [];

        public static Listing Of(long version, Dictionary<PlanId, (PlanLocation Location, PlanFileStamp Stamp)> rows)
        {
            var ordered = rows.Values.Select(row => row.Location).OrderBy(location => location.Folder).ThenBy(location => location.Id.Value, StringComparer.Ordinal).ToArray();
            var positions = new Dictionary<PlanId, int>(ordered.Length);
            for (var index = 0; index < ordered.Length; index++)
            {
                positions[ordered[index].Id] = index;
            }

            return new(version, ordered, [.. ordered.Select(Name)], rows.ToDictionary(row => row.Key, row => row.Value.Stamp), positions);
        }

        /// <summary>
        /// This listing with <paramref name="changed"/> put in their places, when each was listed already in the same state
        /// (a record's next revision, a text rewritten: the order holds); null when one is new or moved (order again).
        /// </summary>
        public Listing? Updated(long version, Dictionary<PlanId, (PlanLocation Location, PlanFileStamp Stamp)> changed)
        {
            if (changed.Any(row => !Positions.TryGetValue(row.Key, out var index) || Locations[index].Folder != row.Value.Location.Folder))
            {
                return null;
            }

            var locations = (PlanLocation[])Locations.Clone();
            var names = (ListedPlan[])Names.Clone();
            var stamps = new Dictionary<PlanId, PlanFileStamp>(Stamps);
            foreach (var (id, (location, stamp)) in changed)
            {
                locations[Positions[id]] = location;
                names[Positions[id]] = Name(location);
                stamps[id] = stamp;
            }

            return new(version, locations, names, stamps, Positions);
        }

        private static ListedPlan Name(PlanLocation location) => new(location.Id, location.Folder, location.LastWriteTime);
    }

    private sealed class Relock(Action relock) : IDisposable
    {
        private bool done;

        public void Dispose()
        {
            if (!done)
            {
                done = true;
                relock();
            }
        }
    }

    private sealed class NoScope : IDisposable
    {
        public static readonly NoScope Instance = new();

        public void Dispose()
        {
        }
    }
}
