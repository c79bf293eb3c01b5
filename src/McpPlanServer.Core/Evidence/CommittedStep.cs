namespace McpPlanServer.Core.Evidence;

public sealed record CommittedStep(string Sha, string? ParentSha, IReadOnlyList<FileChange> Files);
