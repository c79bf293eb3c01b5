namespace McpPlanServer.Storage;

/// <summary>The journal read for its chain: every line, and the lines where the chain breaks.</summary>
public sealed record JournalScan(IReadOnlyList<JournalLine> Lines, IReadOnlyList<JournalLine> Breaks);
