namespace McpPlanServer.Core.Evidence;

/// <summary>One file a commit changed, with line counts (zero for binary files).</summary>
public sealed record FileChange(string Path, FileChangeKind Kind, int LinesAdded, int LinesDeleted, bool Binary);
