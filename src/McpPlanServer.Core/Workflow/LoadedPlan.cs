using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;

namespace McpPlanServer.Core.Workflow;

/// <summary>A plan as it stands now: text and parse from disk, the record reconciled with the folder it was found in.</summary>
public sealed record LoadedPlan(PlanLocation Location, string Text, string TextSha256, PlanDocument Document, PlanRecord Record)
{
    public PlanId Id => Location.Id;

    public PlanState State => Record.State;

    /// <summary>True only while an approval exists for exactly the current text and acceptance test files.</summary>
    public bool ApprovalValid => Record.IsApprovedFor(TextSha256)
        && (Location.Folder == PlanFolder.Completed || string.Equals(Record.Approval?.AcceptanceSha256, AcceptanceSha256, StringComparison.Ordinal));

    /// <summary>The hash over the current text and acceptance files (<see cref="Acceptance.ApprovalHash"/>); null when the
    /// plan names no acceptance test file.</summary>
    public string? AcceptanceSha256 { get; init; }

    /// <summary>The hash the person approves (<c>mcpplan show</c> prints it, <c>approve --sha</c> checks it).</summary>
    public string ApprovalSha256 => AcceptanceSha256 ?? TextSha256;

    /// <summary>The next step to implement: the lowest step not done (null when all are done).</summary>
    public StepProgress? NextStep => Record.Steps.FirstOrDefault(step => !step.Done);

    /// <summary>Set when the plan is verified but the branch moved past the verified commit: the verdict no longer holds.</summary>
    public string? StaleVerdict { get; init; }

    /// <summary>Whether its dependencies are done (<see cref="DependencyGraph.Readiness"/>); null for a completed plan or where not computed.</summary>
    public string? Readiness { get; init; }
}
