namespace McpPlanServer.Core.Plans;

/// <summary>A path the plan names that cannot be a repository file (absolute, climbing out, inside .git).</summary>
public sealed record RejectedPath(string Raw, int Line, string Reason);
