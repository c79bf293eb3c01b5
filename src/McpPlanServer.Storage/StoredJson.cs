using System.Text.Json;
using McpPlanServer.Core.Records;

namespace McpPlanServer.Storage;

/// <summary>
/// The bytes every store writes for records, claims and journal lines (source-generated, so Native AOT safe): a record's
/// SHA-256 in its journal line is over exactly these bytes, whichever store keeps them.
/// </summary>
public static class StoredJson
{
    /// <summary>The record's storage document (stored fields only, see <see cref="RecordDocument"/>).</summary>
    public static byte[] Record(PlanRecord record) => JsonSerializer.SerializeToUtf8Bytes(RecordDocument.From(record), RecordJsonContext.Default.RecordDocument);

    /// <summary>Throws <see cref="JsonException"/> when the bytes are not a record. Reads older files with derived members too.</summary>
    public static PlanRecord ParseRecord(ReadOnlySpan<byte> bytes) =>
        JsonSerializer.Deserialize(bytes, RecordJsonContext.Default.RecordDocument)?.ToRecord() ?? throw new JsonException("The record is null.");

    public static byte[] Claims(ClaimBook book) => JsonSerializer.SerializeToUtf8Bytes(book, RecordJsonContext.Default.ClaimBook);

    public static ClaimBook ParseClaims(ReadOnlySpan<byte> bytes) =>
        JsonSerializer.Deserialize(bytes, RecordJsonContext.Default.ClaimBook) ?? ClaimBook.Empty;

    public static byte[] Claim(Claim claim) => JsonSerializer.SerializeToUtf8Bytes(claim, RecordJsonContext.Default.Claim);

    public static Claim ParseClaim(ReadOnlySpan<byte> bytes) =>
        JsonSerializer.Deserialize(bytes, RecordJsonContext.Default.Claim) ?? throw new JsonException("The claim is null.");

    /// <summary>A plan's acceptance test files as stored (the file store's <c>.records/{id}.acceptance.json</c>, a row in the database).</summary>
    public static byte[] Acceptance(AcceptanceSet set) => JsonSerializer.SerializeToUtf8Bytes(set, RecordJsonContext.Default.AcceptanceSet);

    /// <summary>Throws <see cref="JsonException"/> when the bytes are not an acceptance set.</summary>
    public static AcceptanceSet ParseAcceptance(ReadOnlySpan<byte> bytes) =>
        JsonSerializer.Deserialize(bytes, RecordJsonContext.Default.AcceptanceSet) ?? AcceptanceSet.Empty;

    /// <summary>One journal line as stored (compact, no newline).</summary>
    public static byte[] JournalLine(JournalEntry entry) => JsonSerializer.SerializeToUtf8Bytes(entry, StorageJsonContext.Default.JournalEntry);

    public static JournalEntry ParseJournalLine(ReadOnlySpan<byte> bytes) =>
        JsonSerializer.Deserialize(bytes, StorageJsonContext.Default.JournalEntry) ?? throw new JsonException("The journal line is null.");
}
