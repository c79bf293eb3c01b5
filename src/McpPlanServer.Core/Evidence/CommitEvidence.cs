namespace McpPlanServer.Core.Evidence;

/// <summary>A step commit as evidence: the facts, the unplanned files it touched, and a page of its diff.</summary>
public sealed record CommitEvidence(CommitFacts Facts, IReadOnlyList<string> UnplannedFiles, string? DeviationReason, DiffPage Diff);
