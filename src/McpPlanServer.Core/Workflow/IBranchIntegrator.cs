namespace McpPlanServer.Core.Workflow;

/// <summary>Git for the person's <c>mcpplan integrate</c>: a merge computed without moving anything, then a guarded move.</summary>
public interface IBranchIntegrator
{
    /// <summary>The branch the repository's main worktree is on (the default target).</summary>
    string? CurrentBranch { get; }

    /// <summary>
    /// Fast-forward or merge commit of <paramref name="commitSha"/> into <paramref name="targetBranch"/>, written as objects
    /// only. Refuses (<c>merge_conflict</c>, <c>outside_files</c>) naming the files when it conflicts, or when the plan's
    /// side changed a file outside <paramref name="planFiles"/> that the target also changed since <paramref name="baseSha"/>.
    /// </summary>
    IntegrationCandidate Prepare(string targetBranch, string commitSha, string baseSha, IReadOnlyCollection<string> planFiles);

    /// <summary>
    /// Pushes the result to <paramref name="remoteName"/>'s branch of the same name (a fast-forward there); refuses with
    /// <c>push_rejected</c> when the remote's branch moved on, before anything here moves; refuses with <c>target_moved</c>,
    /// before pushing, when the target branch here no longer points at <see cref="IntegrationCandidate.TargetTip"/>.
    /// </summary>
    void Publish(IntegrationCandidate candidate, string remoteName);

    /// <summary>
    /// Moves the target branch (and a worktree that has it checked out) to the result by compare-and-swap on
    /// <see cref="IntegrationCandidate.TargetTip"/>: refuses with <c>target_moved</c> if it moved meanwhile, moving nothing.
    /// </summary>
    void Advance(IntegrationCandidate candidate);
}
