namespace McpPlanServer.Core.Evidence;

/// <summary>One step's commits, each with (a page of) its diff.</summary>
public sealed record StepEvidence(int Number, string Title, bool Done, IReadOnlyList<CommitEvidence> Commits)
{
    /// <summary>Why a step with commits is not done.</summary>
    public string? Problem { get; init; }
}
