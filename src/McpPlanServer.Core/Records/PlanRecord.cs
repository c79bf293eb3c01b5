using McpPlanServer.Core.Lifecycle;

namespace McpPlanServer.Core.Records;

/// <summary>
/// Everything the server knows about a plan besides its text: state, approval, step progress, reviews, blockers
/// and timeline. <see cref="Revision"/> grows by one with every write, so a writer holding an older copy is refused.
/// </summary>
public sealed record PlanRecord
{
    public required string Id { get; init; }

    public long Revision { get; init; }

    /// <summary>Version of the plan text: 1 when created, +1 per revision by the planner.</summary>
    public int TextRevision { get; init; }

    public required string TextSha256 { get; init; }

    /// <summary>The plan file's last-write time right after the server wrote it: a different time on disk means
    /// someone edited the text by hand, and listings then read and hash it instead of trusting the record.</summary>
    public DateTimeOffset TextWrittenAt { get; init; }

    /// <summary>Snapshot of the title, so listing thousands of plans reads no plan text.</summary>
    public string? Title { get; init; }

    /// <summary>Snapshot of the number of implementation steps in the current text.</summary>
    public int StepCount { get; init; }

    /// <summary>Snapshot of the valid plan ids under <c>**Depends on**</c>, so readiness reads no plan text.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>Where the record last saw the plan. The folder on disk wins when they differ (a person's mv).</summary>
    public PlanFolder Folder { get; init; }

    public PlanStatus Status { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public Approval? Approval { get; init; }

    public IReadOnlyList<StepProgress> Steps { get; init; } = [];

    public IReadOnlyList<ReviewRecord> Reviews { get; init; } = [];

    public IReadOnlyList<Blocker> Blockers { get; init; } = [];

    public VerificationResult? LastVerification { get; init; }

    /// <summary>The last run of the plan's acceptance tests by the server (hand-in), bound to its commit.</summary>
    public AcceptanceResult? LastAcceptance { get; init; }

    /// <summary>The commit handed in with the last submit_for_review: what the review and a verified verdict are bound to.</summary>
    public string? HandedInCommit { get; init; }

    /// <summary>Written under the lock before commit_step makes its git commit: only a commit matching it is adopted
    /// after a crash or a failed record write; any other commit with this plan's trailers stays "outside commit_step".</summary>
    public CommitIntent? PendingCommit { get; init; }

    /// <summary>The hash of the archived text (with its ticked checklist and verification report): completing edits the
    /// text, and the approval of the implemented text carries over to exactly this archived form.</summary>
    public string? ArchivedTextSha256 { get; init; }

    /// <summary>The commit <c>mcpplan integrate</c> made the target branch point at (a merge commit, or the verified commit on a fast-forward).</summary>
    public string? IntegratedCommit { get; init; }

    /// <summary>The person's note with request-changes, or the reason of an abandonment.</summary>
    public string? OwnerNote { get; init; }

    public IReadOnlyList<TimelineEntry> Timeline { get; init; } = [];

    public PlanState State => new(Folder, Status);

    /// <summary>True when an approval exists and covers exactly <paramref name="textSha256"/>.</summary>
    public bool IsApprovedFor(string textSha256) =>
        Approval is { } approval
        && (string.Equals(approval.TextSha256, textSha256, StringComparison.Ordinal)
            || (Folder == PlanFolder.Completed && string.Equals(ArchivedTextSha256, textSha256, StringComparison.Ordinal)));

    public int StepsDone => Steps.Count(step => step.Done);

    public ReviewRecord? LastReview => Reviews.Count == 0 ? null : Reviews[^1];

    public IEnumerable<Finding> OpenFindings => LastReview?.Findings.Where(finding => finding.Open) ?? [];

    public IEnumerable<Blocker> OpenBlockers => Blockers.Where(blocker => blocker.IsOpen);
}
