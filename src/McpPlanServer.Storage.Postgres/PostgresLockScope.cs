using Npgsql;

namespace McpPlanServer.Storage.Postgres;

/// <summary>
/// One change: a transaction holding the repository's advisory lock (<c>pg_advisory_xact_lock</c>), so changes of every
/// machine on one repository run one at a time. Disposing commits (with a <c>pg_notify</c> when something changed) —
/// unless a write in it failed, then everything it wrote is rolled back. A writer killed mid-change leaves nothing: the
/// database rolls back a transaction whose connection died.
/// </summary>
internal sealed class PostgresLockScope(NpgsqlConnection connection, NpgsqlTransaction transaction, string repository, Action<PostgresLockScope> ended) : IDisposable
{
    public NpgsqlConnection Connection { get; } = connection;

    public NpgsqlTransaction Transaction { get; } = transaction;

    /// <summary>Claim versions as <see cref="PostgresPlanStore.ReadClaims"/> saw them in this change, by plan.</summary>
    public Dictionary<string, long>? ClaimVersionsRead { get; set; }

    public bool Changed { get; set; }

    public bool Failed { get; set; }

    private bool disposed;

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        try
        {
            if (Failed)
            {
                Transaction.Rollback();
                return;
            }

            if (Changed)
            {
                using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @repository)", Connection, Transaction);
                notify.Parameters.AddWithValue("channel", PostgresChangeListener.Channel);
                notify.Parameters.AddWithValue("repository", repository);
                notify.ExecuteNonQuery();
            }

            Transaction.Commit();
        }
        finally
        {
            ended(this);
            Transaction.Dispose();
            Connection.Dispose();
        }
    }
}
