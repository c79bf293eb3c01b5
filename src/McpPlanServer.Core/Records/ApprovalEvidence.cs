namespace McpPlanServer.Core.Records;

/// <summary>
/// What the approving process could see of where the decision came from: whether a terminal was attached, the
/// names of its parent processes, agent markers it saw, and for the in-client form the client's own name.
/// Evidence, not proof: a process that controls its environment can shape all of it.
/// </summary>
public sealed record ApprovalEvidence(
    bool Terminal,
    IReadOnlyList<string> ProcessChain,
    IReadOnlyList<string> MarkersSeen,
    string? ClientName = null);
