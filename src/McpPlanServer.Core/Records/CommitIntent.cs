namespace McpPlanServer.Core.Records;

/// <summary>A step commit as commit_step prepared it, recorded before the git commit is written: its tree, its parent
/// and the step. A commit is adopted as this plan's step only when all three match.</summary>
public sealed record CommitIntent(int Step, string TreeId, string? ParentSha, DateTimeOffset At);
