namespace McpPlanServer.Storage;

/// <summary>Where the last journal scan ended: the length of the whole lines it read, their SHA-256, the number of the last
/// line and the chain's state after it.</summary>
internal sealed record ScanCheckpoint(int Length, int Lines, byte[] Sha256, JournalChain Chain);
