namespace McpPlanServer.Core.Plans;

public enum LintSeverity
{
    /// <summary>Advice: the plan can be approved, but it would be better with the fix.</summary>
    Warning,

    /// <summary>Blocks writing and approval until fixed.</summary>
    Error,
}
