namespace McpPlanServer.Core.Evidence;

/// <summary>What to commit for a step: exactly these paths (null: every change outside the excluded folder).</summary>
public sealed record StepCommitRequest(
    IReadOnlyList<string>? Paths,
    string ExcludedFolder,
    string Message,
    IReadOnlyList<KeyValuePair<string, string>> Trailers);
