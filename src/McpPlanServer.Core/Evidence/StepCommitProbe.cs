namespace McpPlanServer.Core.Evidence;

/// <summary>A recorded step commit to check, with the paths whose change should still be on the branch.</summary>
public sealed record StepCommitProbe(string Sha, IReadOnlyList<string> Paths);
