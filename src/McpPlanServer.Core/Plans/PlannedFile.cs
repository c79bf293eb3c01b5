namespace McpPlanServer.Core.Plans;

/// <summary>A repository-relative path named under Files to Create or Files to Modify (always with forward slashes).</summary>
public sealed record PlannedFile(string Path, PlannedFileKind Kind, int Line);
