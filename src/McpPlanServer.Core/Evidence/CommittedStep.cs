namespace McpPlanServer.Core.Evidence;

public sealed record CommittedStep(string Sha, string? ParentSha, IReadOnlyList<FileChange> Files)
{
    /// <summary>False when the branch moved but git's index could not follow (another process held index.lock).</summary>
    public bool IndexUpdated { get; init; } = true;
}
