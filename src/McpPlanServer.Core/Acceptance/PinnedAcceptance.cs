using McpPlanServer.Core.Records;

namespace McpPlanServer.Core.Acceptance;

/// <summary>What an approval pins: the hash over text and files, the files, and the commit that put them in the repository.</summary>
public sealed record PinnedAcceptance(string Hash, IReadOnlyList<AcceptanceFile> Files, string? Commit);
