using McpPlanServer.Core.Workflow;
using Npgsql;

namespace McpPlanServer.Storage.Postgres;

/// <summary>
/// The tables, migrated forward by the server itself and never back. <c>mcpplan_schema_version</c> holds one row per
/// migration applied; a database migrated by a newer mcpplan is refused (an older server must not write a shape it does
/// not know). Migrations run in one transaction under an advisory lock, so two servers starting at once apply each once.
/// </summary>
public static class PostgresSchema
{
    /// <summary>Every migration in order; index + 1 is its version. Append only: a shipped migration never changes.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE mcpplan_plans (
            repository   text NOT NULL,
            plan_id      text NOT NULL,
            folder       text NOT NULL CHECK (folder IN ('Review', 'Active', 'Completed')),
            body         bytea NOT NULL,
            text_version bigint NOT NULL,
            written_ticks bigint NOT NULL,
            PRIMARY KEY (repository, plan_id));
        CREATE TABLE mcpplan_records (
            repository text NOT NULL,
            plan_id    text NOT NULL,
            revision   bigint NOT NULL,
            body       bytea NOT NULL,
            written_at timestamptz NOT NULL,
            PRIMARY KEY (repository, plan_id));
        CREATE TABLE mcpplan_record_revisions (
            repository text NOT NULL,
            plan_id    text NOT NULL,
            revision   bigint NOT NULL,
            body       bytea NOT NULL,
            written_at timestamptz NOT NULL,
            PRIMARY KEY (repository, plan_id, revision));
        CREATE TABLE mcpplan_reviews (
            repository text NOT NULL,
            plan_id    text NOT NULL,
            iteration  integer NOT NULL,
            markdown   text NOT NULL,
            PRIMARY KEY (repository, plan_id, iteration));
        CREATE TABLE mcpplan_claim_books (
            repository text PRIMARY KEY,
            last_fence bigint NOT NULL);
        CREATE TABLE mcpplan_claims (
            repository text NOT NULL,
            plan_id    text NOT NULL,
            version    bigint NOT NULL,
            fence      bigint NOT NULL,
            session_id text NOT NULL,
            body       bytea NOT NULL,
            PRIMARY KEY (repository, plan_id),
            UNIQUE (repository, fence));
        CREATE TABLE mcpplan_journal (
            repository  text NOT NULL,
            line_number integer NOT NULL,
            line        bytea NOT NULL,
            PRIMARY KEY (repository, line_number));
        """,
        """
        CREATE TABLE mcpplan_acceptance (
            repository text NOT NULL,
            plan_id    text NOT NULL,
            revision   bigint NOT NULL,
            body       bytea NOT NULL,
            written_at timestamptz NOT NULL,
            PRIMARY KEY (repository, plan_id));
        """,
        """
        CREATE TABLE mcpplan_listing_versions (
            repository text PRIMARY KEY,
            version    bigint NOT NULL);
        CREATE FUNCTION mcpplan_bump_listing() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                INSERT INTO mcpplan_listing_versions AS v (repository, version) VALUES (OLD.repository, 1)
                ON CONFLICT (repository) DO UPDATE SET version = v.version + 1;
            END IF;
            IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR OLD.repository IS DISTINCT FROM NEW.repository) THEN
                INSERT INTO mcpplan_listing_versions AS v (repository, version) VALUES (NEW.repository, 1)
                ON CONFLICT (repository) DO UPDATE SET version = v.version + 1;
            END IF;
            RETURN NULL;
        END $$;
        CREATE FUNCTION mcpplan_bump_every_listing() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE mcpplan_listing_versions SET version = version + 1;
            RETURN NULL;
        END $$;
        CREATE TRIGGER mcpplan_plans_listing AFTER INSERT OR UPDATE OR DELETE ON mcpplan_plans FOR EACH ROW EXECUTE FUNCTION mcpplan_bump_listing();
        CREATE TRIGGER mcpplan_records_listing AFTER INSERT OR UPDATE OR DELETE ON mcpplan_records FOR EACH ROW EXECUTE FUNCTION mcpplan_bump_listing();
        CREATE TRIGGER mcpplan_plans_truncated AFTER TRUNCATE ON mcpplan_plans FOR EACH STATEMENT EXECUTE FUNCTION mcpplan_bump_every_listing();
        CREATE TRIGGER mcpplan_records_truncated AFTER TRUNCATE ON mcpplan_records FOR EACH STATEMENT EXECUTE FUNCTION mcpplan_bump_every_listing();
        """,
    ];

    /// <summary>The newest schema this build knows.</summary>
    public static int Current => Migrations.Length;

    /// <summary>Applies the missing migrations; refuses a database whose schema is newer than <see cref="Current"/>.</summary>
    public static void Migrate(NpgsqlDataSource dataSource)
    {
        using var connection = dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, "SELECT pg_advisory_xact_lock(hashtextextended('mcpplan:schema', 0))");
        Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS mcpplan_schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
        using (var read = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM mcpplan_schema_version", connection, transaction))
        {
            var version = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            if (version > Current)
            {
                throw new PlanRefusedException(
                    "schema_too_new",
                    $"The database's mcpplan schema is version {version}, newer than this mcpplan knows ({Current}): a newer mcpplan migrated it, and schemas are never migrated back. Upgrade mcpplan on this machine.");
            }

            for (var next = version + 1; next <= Current; next++)
            {
                Execute(connection, transaction, Migrations[next - 1]);
                using var record = new NpgsqlCommand("INSERT INTO mcpplan_schema_version (version) VALUES (@version)", connection, transaction);
                record.Parameters.AddWithValue("version", next);
                record.ExecuteNonQuery();
            }
        }

        transaction.Commit();
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.ExecuteNonQuery();
    }
}
