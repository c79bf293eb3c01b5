using McpPlanServer.Core.Records;

namespace McpPlanServer.Storage;

/// <summary>One journal line: its 1-based number in the file, the entry, and the SHA-256 of the line's bytes.</summary>
public sealed record JournalLine(int Number, JournalEntry Entry, string Sha256);
