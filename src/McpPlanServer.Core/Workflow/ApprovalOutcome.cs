namespace McpPlanServer.Core.Workflow;

/// <summary>What the person decided while the planner waited (or that the wait ended first).</summary>
public enum ApprovalOutcome
{
    Approved,
    ChangesRequested,
    Abandoned,
    TimedOut,
}
