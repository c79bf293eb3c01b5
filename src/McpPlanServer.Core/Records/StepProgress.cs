namespace McpPlanServer.Core.Records;

/// <summary>Progress of one plan step: done while it has commits and every one of them is still on the branch with
/// its changes (git is the truth: a commit reset away or undone by a later commit makes the step not done again).</summary>
public sealed record StepProgress(int Number, string Title, bool Done, IReadOnlyList<StepCommit> Commits)
{
    /// <summary>Why a step with commits is not done (its commits left the branch, or a later commit undid a change).</summary>
    public string? Problem { get; init; }
}
