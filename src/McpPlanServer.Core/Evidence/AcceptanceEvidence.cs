using McpPlanServer.Core.Records;

namespace McpPlanServer.Core.Evidence;

/// <summary>
/// A plan's pinned acceptance tests as the review sees them: the command, the pinned files and the commit that pinned
/// them, the last run by the server, and every change made to a pinned file around commit_step (tampering).
/// </summary>
public sealed record AcceptanceEvidence(
    string Command,
    IReadOnlyList<string> Files,
    string Hash,
    string? PinCommit,
    AcceptanceResult? LastRun,
    IReadOnlyList<string> Tampering);
