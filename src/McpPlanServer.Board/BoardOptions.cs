using McpPlanServer.Core.Records;

namespace McpPlanServer.Board;

/// <summary>What the board serves and how: the repositories, the loopback port (0 picks a free one), the person's name
/// recorded with approvals, and how often the change monitor polls when the file-system watcher is silent.</summary>
public sealed record BoardOptions(
    IReadOnlyList<BoardRepository> Repositories,
    int Port,
    string OwnerName,
    TimeProvider Clock)
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>What the process that started the board saw of its session (terminal, parent chain, agent markers),
    /// recorded with every approval given on the board.</summary>
    public ApprovalEvidence? Evidence { get; init; }
}
