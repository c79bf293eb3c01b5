using McpPlanServer.Core.Records;

namespace McpPlanServer.Core.Evidence;

/// <summary>What the planner reviews: commits per step with diffs, drift, foreign commits, loose ends, verification.</summary>
public sealed record ImplementationEvidence(
    string PlanId,
    string? BaseCommit,
    string? Head,
    IReadOnlyList<StepEvidence> Steps,
    IReadOnlyList<string> PlannedFilesNeverTouched,
    IReadOnlyList<string> UnplannedFilesTouched,
    IReadOnlyList<CommitFacts> CommitsOutsideCommitStep,
    IReadOnlyList<WorkingChange> UncommittedChanges,
    IReadOnlyList<int> StepsNotDone,
    VerificationResult? Verification,
    string? DiffNote,
    Approval? Approval = null,
    bool ApprovalValid = false);
