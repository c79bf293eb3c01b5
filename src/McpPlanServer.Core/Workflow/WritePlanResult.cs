using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;

namespace McpPlanServer.Core.Workflow;

/// <summary>The outcome of write_plan: the new revision, where the plan stands, and lint warnings to consider.</summary>
public sealed record WritePlanResult(
    string Id,
    bool Created,
    int TextRevision,
    PlanState State,
    string TextSha256,
    IReadOnlyList<LintFinding> Warnings,
    bool ApprovalVoided)
{
    /// <summary>True when the text was identical to the current one: nothing was written, the revision is unchanged.</summary>
    public bool Unchanged { get; init; }
}
