namespace McpPlanServer.Core.Plans;

/// <summary>One acceptance test file the section names (repository-relative, forward slashes).</summary>
public sealed record AcceptancePath(string Path, int Line);
