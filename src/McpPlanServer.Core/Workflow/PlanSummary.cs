using McpPlanServer.Core.Lifecycle;

namespace McpPlanServer.Core.Workflow;

/// <summary>One row of list_plans and <c>mcpplan status</c>. <see cref="Problem"/> says why the plan cannot be used, and how
/// to repair it; <see cref="ApprovalWarning"/>: why the plan's valid approval did not come through a person's channel (null
/// when it did, or when there is none).</summary>
public sealed record PlanSummary(
    string Id,
    string? Title,
    PlanFolder Folder,
    PlanStatus Status,
    int StepsDone,
    int StepCount,
    double? LastScore,
    int Iterations,
    int OpenBlockers,
    int OpenFindings,
    bool ApprovalValid,
    DateTimeOffset UpdatedAt,
    string NextAction,
    string? Problem = null,
    string? ApprovalWarning = null)
{
    /// <summary>Whether its dependencies are done (<see cref="DependencyGraph.Readiness"/>); null for a completed plan.</summary>
    public string? Readiness { get; init; }

    /// <summary>The plan's <c>**Depends on**</c> ids, comma-separated (a string, so two summaries compare by value), so a
    /// listing can recompute <see cref="Readiness"/> from their current states.</summary>
    public string DependsOn { get; init; } = string.Empty;

    /// <summary>For an approved plan: the other approved plans that list one of its files (two builders would edit them at
    /// once); null when none. See <see cref="PlanOverlaps"/>.</summary>
    public string? Overlap { get; init; }
}
