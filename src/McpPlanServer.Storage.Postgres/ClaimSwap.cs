using System.Text;
using McpPlanServer.Core.Records;
using Npgsql;
using NpgsqlTypes;

namespace McpPlanServer.Storage.Postgres;

/// <summary>
/// The calls that change one claim or append one journal line in a single round trip (schema 4's functions), so the
/// locks they take are held only while the database runs them, never while a client waits for its CPU:
/// <c>mcpplan_claim_swap</c> changes the claim's row only from the version read (inserts it only where there is none),
/// takes a new claim's fence from the counter (<c>last_fence + 1</c> under the counter row's lock: no fence is handed
/// out twice), appends the journal line and notifies, all in one transaction, and raises <see cref="Conflict"/> (rolling
/// all of it back) when the row changed; <c>mcpplan_journal_append</c> takes the journal's lock and appends a line after
/// putting in the previous line's SHA-256. The client writes the line and the claim with placeholders the database fills in.
/// </summary>
internal static class ClaimSwap
{
    /// <summary>The SQLSTATE <c>mcpplan_claim_swap</c> raises when the claim changed since it was read.</summary>
    public const string Conflict = "MP409";

    /// <summary>The fence a new claim carries until the database puts in the counter's next number (19 digits, never handed out).</summary>
    public const long Unassigned = long.MaxValue;

    private static readonly byte[] UnassignedDigits = Encoding.UTF8.GetBytes(Unassigned.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static readonly byte[] PreviousKey = Encoding.UTF8.GetBytes("\"previousSha256\":\"");

    /// <summary><c>mcpplan_claim_swap</c> for <paramref name="next"/> (null: remove) over the row read at <paramref name="version"/> (null: none).</summary>
    public static NpgsqlCommand Swap(NpgsqlConnection connection, string repository, string plan, long? version, Claim? next, JournalEntry? line)
    {
        var fresh = next is { Fence: Unassigned };
        var body = next is null ? null : StoredJson.Claim(next);
        var command = new NpgsqlCommand(
            "SELECT mcpplan_claim_swap(@repository, @plan, @version, @session, @body, @bodyFenceAt, @fence, @line, @hashAt, @lineFenceAt, @channel)",
            connection);
        command.Parameters.AddWithValue("repository", repository);
        command.Parameters.AddWithValue("plan", plan);
        command.Parameters.Add(new NpgsqlParameter("version", NpgsqlDbType.Bigint) { Value = version is { } read ? read : DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("session", NpgsqlDbType.Text) { Value = (object?)next?.SessionId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("body", NpgsqlDbType.Bytea) { Value = (object?)body ?? DBNull.Value });
        command.Parameters.AddWithValue("bodyFenceAt", fresh ? After(body!, "\"fence\"") : 0);
        command.Parameters.AddWithValue("fence", next?.Fence ?? 0L);
        var (bytes, hashAt) = line is null ? (null, 0) : Line(line);
        command.Parameters.Add(new NpgsqlParameter("line", NpgsqlDbType.Bytea) { Value = (object?)bytes ?? DBNull.Value });
        command.Parameters.AddWithValue("hashAt", hashAt);
        command.Parameters.AddWithValue("lineFenceAt", fresh && bytes is not null ? After(bytes, "\"detail\":\"") : 0);
        command.Parameters.AddWithValue("channel", PostgresChangeListener.ActivityChannel);
        return command;
    }

    /// <summary><c>mcpplan_journal_append</c> of <paramref name="entry"/>, for a batch (alone, or a change's lines sent as it commits).</summary>
    public static NpgsqlBatchCommand Append(string repository, JournalEntry entry)
    {
        var (bytes, hashAt) = Line(entry);
        var command = new NpgsqlBatchCommand("SELECT mcpplan_journal_append($1, $2, $3, 0, 0)");
        command.Parameters.Add(new NpgsqlParameter { Value = repository, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = bytes, NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter { Value = hashAt, NpgsqlDbType = NpgsqlDbType.Integer });
        return command;
    }

    /// <summary>The line as stored, with 64 zeros where the database puts the previous line's SHA-256 (1-based offset).</summary>
    private static (byte[] Bytes, int HashAt) Line(JournalEntry entry)
    {
        var bytes = StoredJson.JournalLine(entry with { PreviousSha256 = JsonlJournal.Genesis });
        return (bytes, bytes.AsSpan().LastIndexOf(PreviousKey) + PreviousKey.Length + 1);
    }

    /// <summary>The 1-based offset of the unassigned fence's digits first after <paramref name="key"/>.</summary>
    private static int After(byte[] json, string key)
    {
        var from = json.AsSpan().IndexOf(Encoding.UTF8.GetBytes(key));
        var at = from < 0 ? -1 : json.AsSpan(from).IndexOf(UnassignedDigits);
        return at < 0
            ? throw new InvalidOperationException($"The unassigned fence is not after {key} in what is written.")
            : from + at + 1;
    }
}
