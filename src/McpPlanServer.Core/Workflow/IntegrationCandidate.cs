namespace McpPlanServer.Core.Workflow;

/// <summary>A computed integration: <see cref="ResultSha"/> exists as a git object, no branch points at it yet.</summary>
public sealed record IntegrationCandidate(string TargetBranch, string TargetTip, string ResultSha, bool FastForward)
{
    /// <summary>Why the plan's branch could not be fetched from the push remote before the merge (the local copy was merged); null when it was.</summary>
    public string? FetchWarning { get; init; }
}
