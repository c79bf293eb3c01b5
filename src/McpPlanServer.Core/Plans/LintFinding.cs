namespace McpPlanServer.Core.Plans;

/// <summary>One lint result: a stable code, the line it concerns (1 when something is missing) and how to fix it.</summary>
public sealed record LintFinding(LintSeverity Severity, string Code, int Line, string Message);
