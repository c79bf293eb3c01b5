using System.Diagnostics;
using McpPlanServer.Core.Diagnostics;
using Npgsql;

namespace McpPlanServer.Storage.Postgres;

/// <summary>
/// One change: a transaction holding the repository's advisory lock (<c>pg_advisory_xact_lock</c>), so changes of every
/// machine on one repository run one at a time. Disposing sends the change's journal lines and (when something
/// changed) its <c>pg_notify</c> in one round trip, then commits —
/// unless a write in it failed, then everything it wrote is rolled back. A writer killed mid-change leaves nothing: the
/// database rolls back a transaction whose connection died. <see cref="Suspend"/> commits the change so far (its lock goes
/// with the transaction) while the caller works outside the store; <see cref="Resume"/> carries on in a new transaction.
/// </summary>
internal sealed class PostgresLockScope(NpgsqlConnection connection, NpgsqlTransaction transaction, Action<PostgresLockScope> ended, Action<PostgresLockScope> beforeCommit) : IDisposable
{
    private long lockedAt = Stopwatch.GetTimestamp();

    public NpgsqlConnection Connection { get; } = connection;

    public NpgsqlTransaction Transaction { get; private set; } = transaction;

    /// <summary>Claim versions as <see cref="PostgresPlanStore.ReadClaims"/> saw them in this change, by plan.</summary>
    public Dictionary<string, (long Version, byte[] Body)>? ClaimVersionsRead { get; set; }

    /// <summary>The fence counter as <see cref="PostgresPlanStore.ReadClaims"/> saw it in this change.</summary>
    public long? LastFenceRead { get; set; }

    /// <summary>The change's journal lines, sent with its notification just before it commits (see <c>PostgresPlanStore.SendJournalLines</c>).</summary>
    public List<McpPlanServer.Core.Records.JournalEntry> PendingLines { get; } = [];

    public bool Changed { get; set; }

    /// <summary>Whether the change wrote or moved a plan's text or changed its status (its notification then reaches servers, not only boards).</summary>
    public bool PlanStateChanged { get; set; }

    public bool Failed { get; set; }

    public bool Suspended { get; private set; }

    /// <summary>Whether this transaction holds the repository's lock (taken before its first read or write of plans, records or claims).</summary>
    public bool Locked { get; private set; }

    /// <summary>Whether this transaction holds the journal's lock (taken before its first journal line).</summary>
    public bool JournalLocked { get; private set; }

    public void Taken(bool journal)
    {
        if (journal)
        {
            JournalLocked = true;
        }
        else
        {
            Locked = true;
        }

        if (!Locked || !JournalLocked)
        {
            lockedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        }
    }

    private bool disposed;

    /// <summary>Commits what the change wrote so far, which lets go of the repository's lock; the connection stays.</summary>
    public void Suspend()
    {
        try
        {
            Finish();
        }
        finally
        {
            Transaction.Dispose();
            Suspended = true;
            Changed = false;
            PlanStateChanged = false;
            PendingLines.Clear();
            ClaimVersionsRead = null;
            LastFenceRead = null;
            Locked = false;
            JournalLocked = false;
        }
    }

    /// <summary>Carries on in <paramref name="next"/>, which holds the repository's lock again.</summary>
    public void Resume(NpgsqlTransaction next)
    {
        Transaction = next;
        Suspended = false;
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        try
        {
            if (!Suspended)
            {
                Finish();
            }
        }
        finally
        {
            ended(this);
            Transaction.Dispose();
            Connection.Dispose();
        }
    }

    private void Finish()
    {
        try
        {
            if (Failed)
            {
                Transaction.Rollback();
                return;
            }

            beforeCommit(this);
            Transaction.Commit();
        }
        finally
        {
            if (Locked || JournalLocked)
            {
                BenchTimings.Record("hold", Stopwatch.GetElapsedTime(lockedAt));
            }
        }
    }
}
