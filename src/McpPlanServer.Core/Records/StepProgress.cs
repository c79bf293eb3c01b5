namespace McpPlanServer.Core.Records;

/// <summary>Progress of one plan step: done once at least one commit implemented it.</summary>
public sealed record StepProgress(int Number, string Title, bool Done, IReadOnlyList<StepCommit> Commits);
