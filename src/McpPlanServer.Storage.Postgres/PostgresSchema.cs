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
    /// <summary>
    /// Every migration in order; index + 1 is its version. Append only: a shipped migration never changes.
    /// 1 the tables; 2 acceptance files; 3 the listing version and its triggers; 4 a journal line and a claim change in one
    /// round trip; 5 each plan and record row carries the listing version its write made (<c>listed_at</c>, set by a
    /// trigger, by mcpplan or by hand) and the listing version notes the last removal, so a kept listing reads only the rows
    /// written since (a removal, which leaves no row behind, makes it read whole); 6 the boards watching a repository
    /// (<c>mcpplan_watchers</c>, each row renewed while its board runs), and activity (claims, steps recorded, commit
    /// intents) announced only while one watches: every notification wakes every listening connection of the database,
    /// whatever its channel, so 50 servers' connections were woken by activity none of them listens for.
    /// </summary>
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
        """
        CREATE FUNCTION mcpplan_journal_append(p_repository text, p_line bytea, p_hash_at integer, p_fence bigint, p_fence_at integer)
        RETURNS integer LANGUAGE plpgsql SET lock_timeout = '10s' AS $$
        DECLARE
            v_number integer;
            v_previous bytea;
            v_line bytea := p_line;
        BEGIN
            PERFORM pg_advisory_xact_lock(hashtextextended('mcpplan-journal:' || p_repository, 0));
            SELECT l.line_number, l.line INTO v_number, v_previous FROM mcpplan_journal l
            WHERE l.repository = p_repository ORDER BY l.line_number DESC LIMIT 1;
            v_line := overlay(v_line placing convert_to(coalesce(encode(sha256(v_previous), 'hex'), repeat('0', 64)), 'UTF8') from p_hash_at for 64);
            IF p_fence_at > 0 THEN
                v_line := overlay(v_line placing convert_to(p_fence::text, 'UTF8') from p_fence_at for 19);
            END IF;
            INSERT INTO mcpplan_journal (repository, line_number, line) VALUES (p_repository, coalesce(v_number, 0) + 1, v_line);
            RETURN coalesce(v_number, 0) + 1;
        END $$;
        """ + "\n" + ClaimSwapFunction("CREATE FUNCTION", "pg_notify"),
        """
        ALTER TABLE mcpplan_listing_versions ADD COLUMN last_removal bigint NOT NULL DEFAULT 0;
        ALTER TABLE mcpplan_plans ADD COLUMN listed_at bigint NOT NULL DEFAULT 0;
        ALTER TABLE mcpplan_records ADD COLUMN listed_at bigint NOT NULL DEFAULT 0;
        CREATE INDEX mcpplan_plans_listed ON mcpplan_plans (repository, listed_at);
        CREATE INDEX mcpplan_records_listed ON mcpplan_records (repository, listed_at);
        CREATE FUNCTION mcpplan_stamp_listing() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO mcpplan_listing_versions AS v (repository, version) VALUES (NEW.repository, 1)
            ON CONFLICT (repository) DO UPDATE SET version = v.version + 1
            RETURNING v.version INTO NEW.listed_at;
            RETURN NEW;
        END $$;
        CREATE OR REPLACE FUNCTION mcpplan_bump_listing() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' OR OLD.repository IS DISTINCT FROM NEW.repository THEN
                INSERT INTO mcpplan_listing_versions AS v (repository, version, last_removal) VALUES (OLD.repository, 1, 1)
                ON CONFLICT (repository) DO UPDATE SET version = v.version + 1, last_removal = v.version + 1;
            END IF;
            RETURN NULL;
        END $$;
        CREATE OR REPLACE FUNCTION mcpplan_bump_every_listing() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE mcpplan_listing_versions SET version = version + 1, last_removal = version + 1;
            RETURN NULL;
        END $$;
        DROP TRIGGER mcpplan_plans_listing ON mcpplan_plans;
        DROP TRIGGER mcpplan_records_listing ON mcpplan_records;
        CREATE TRIGGER mcpplan_plans_listing AFTER UPDATE OR DELETE ON mcpplan_plans FOR EACH ROW EXECUTE FUNCTION mcpplan_bump_listing();
        CREATE TRIGGER mcpplan_records_listing AFTER UPDATE OR DELETE ON mcpplan_records FOR EACH ROW EXECUTE FUNCTION mcpplan_bump_listing();
        CREATE TRIGGER mcpplan_plans_listed BEFORE INSERT OR UPDATE ON mcpplan_plans FOR EACH ROW EXECUTE FUNCTION mcpplan_stamp_listing();
        CREATE TRIGGER mcpplan_records_listed BEFORE INSERT OR UPDATE ON mcpplan_records FOR EACH ROW EXECUTE FUNCTION mcpplan_stamp_listing();
        """,
        """
        CREATE TABLE mcpplan_watchers (
            repository text NOT NULL,
            watcher    text NOT NULL,
            until      timestamptz NOT NULL,
            PRIMARY KEY (repository, watcher));
        CREATE FUNCTION mcpplan_notify_activity(p_channel text, p_repository text) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM mcpplan_watchers w WHERE w.repository = p_repository AND w.until > now()) THEN
                PERFORM pg_notify(p_channel, p_repository);
            END IF;
        END $$;
        """ + "\n" + ClaimSwapFunction("CREATE OR REPLACE FUNCTION", "mcpplan_notify_activity"),
    ];

    /// <summary>
    /// <c>mcpplan_claim_swap</c> as schema 4 created it (<paramref name="notify"/> <c>pg_notify</c>) and schema 6 replaced
    /// it (<c>mcpplan_notify_activity</c>: only while a board watches); the rest of the function is the same text in both.
    /// </summary>
    private static string ClaimSwapFunction(string create, string notify) => $$"""
        {{create}} mcpplan_claim_swap(p_repository text, p_plan text, p_version bigint, p_session text, p_body bytea, p_body_fence_at integer,
            p_fence bigint, p_line bytea, p_hash_at integer, p_line_fence_at integer, p_channel text)
        RETURNS bigint LANGUAGE plpgsql SET lock_timeout = '10s' AS $$
        DECLARE
            v_fence bigint := p_fence;
            v_body bytea := p_body;
            v_done bigint;
        BEGIN
            IF v_body IS NOT NULL AND p_body_fence_at > 0 THEN
                INSERT INTO mcpplan_claim_books AS b (repository, last_fence) VALUES (p_repository, 1)
                ON CONFLICT (repository) DO UPDATE SET last_fence = b.last_fence + 1 RETURNING b.last_fence INTO v_fence;
                v_body := overlay(v_body placing convert_to(v_fence::text, 'UTF8') from p_body_fence_at for 19);
            END IF;
            IF v_body IS NULL THEN
                DELETE FROM mcpplan_claims c WHERE c.repository = p_repository AND c.plan_id = p_plan AND c.version = p_version
                RETURNING c.fence INTO v_done;
            ELSIF p_version IS NULL THEN
                INSERT INTO mcpplan_claims AS c (repository, plan_id, version, fence, session_id, body) VALUES (p_repository, p_plan, 1, v_fence, p_session, v_body)
                ON CONFLICT DO NOTHING RETURNING c.fence INTO v_done;
            ELSE
                UPDATE mcpplan_claims c SET version = c.version + 1, fence = v_fence, session_id = p_session, body = v_body
                WHERE c.repository = p_repository AND c.plan_id = p_plan AND c.version = p_version
                RETURNING c.fence INTO v_done;
            END IF;
            IF v_done IS NULL THEN
                RAISE EXCEPTION 'the claim on % changed since it was read', p_plan USING ERRCODE = 'MP409';
            END IF;
            IF p_line IS NOT NULL THEN
                PERFORM mcpplan_journal_append(p_repository, p_line, p_hash_at, v_done, p_line_fence_at);
            END IF;
            PERFORM {{notify}}(p_channel, p_repository);
            RETURN v_done;
        END $$;
        """;

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
