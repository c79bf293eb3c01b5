using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Board;

/// <summary>One plan on the board: progress, last score, iterations, dependencies and whether they are done, age, and the
/// implementer session that holds it (its claim: worktree and fencing number), if any.</summary>
public sealed record BoardCard(PlanSummary Summary, IReadOnlyList<string> DependsOn, PlanReadiness Readiness, Claim? Claim = null)
{
    public string Id => Summary.Id;

    public PlanStatus Status => Summary.Status;
}
