namespace McpPlanServer.Core.Evidence;

/// <summary>A step commit as evidence: the facts, the unplanned files it touched, and a page of its diff.</summary>
public sealed record CommitEvidence(CommitFacts Facts, IReadOnlyList<string> UnplannedFiles, string? DeviationReason, DiffPage Diff)
{
    /// <summary>False when the commit is no longer reachable from HEAD (reset away, another branch checked out).</summary>
    public bool OnBranch { get; init; } = true;

    /// <summary>Files a later commit put back to their content before this commit.</summary>
    public IReadOnlyList<string> RevertedPaths { get; init; } = [];

    /// <summary>The commit's Plan-Approval trailer, and whether it is the approval in force.</summary>
    public string? Approval { get; init; }

    public bool ApprovalCurrent { get; init; } = true;

    /// <summary>Made while another process held index.lock, so git's index did not follow the commit.</summary>
    public bool IndexStale { get; init; }
}
