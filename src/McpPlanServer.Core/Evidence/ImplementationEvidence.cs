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
    bool ApprovalValid = false)
{
    /// <summary>The commit handed in (the one the verification ran on and a verdict binds to).</summary>
    public string? HandedInCommit { get; init; }

    /// <summary>Everything about the step commits that git and the record disagree on, as sentences.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The lines submit_review must answer: success criteria C1… and security-checklist items S1….</summary>
    public IReadOnlyList<Reviews.ChecklistItem> Checklist { get; init; } = [];

    /// <summary>The plan's pinned acceptance tests, their last run and any tampering; null when the plan has none.</summary>
    public AcceptanceEvidence? Acceptance { get; init; }
}
