using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Board;

/// <summary>One plan on the board: progress, last score, iterations, dependencies and whether they are done, age.</summary>
public sealed record BoardCard(PlanSummary Summary, IReadOnlyList<string> DependsOn, PlanReadiness Readiness)
{
    public string Id => Summary.Id;

    public PlanStatus Status => Summary.Status;
}
