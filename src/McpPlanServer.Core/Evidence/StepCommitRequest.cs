namespace McpPlanServer.Core.Evidence;

/// <summary>What to commit for a step: exactly these paths (null: every change outside the excluded folder).</summary>
public sealed record StepCommitRequest(
    IReadOnlyList<string>? Paths,
    string ExcludedFolder,
    string Message,
    IReadOnlyList<KeyValuePair<string, string>> Trailers)
{
    /// <summary>Files and folders a step commit never includes (configuration, client settings): refused when named,
    /// skipped when collecting changes.</summary>
    public IReadOnlyList<string> ProtectedPaths { get; init; } = [];
}
