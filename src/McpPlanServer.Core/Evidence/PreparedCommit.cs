namespace McpPlanServer.Core.Evidence;

/// <summary>
/// A commit checked and ready but not yet written: the files it would change and the HEAD it builds on.
/// The workflow inspects it (drift) before <see cref="Workflow.IRepositoryGateway.Commit"/> writes it.
/// </summary>
public sealed record PreparedCommit(StepCommitRequest Request, string? ExpectedHead, IReadOnlyList<FileChange> Files, object Token)
{
    /// <summary>The id of the tree the commit will have: with <see cref="ExpectedHead"/> it is the commit's intent.</summary>
    public string? TreeId { get; init; }
}
