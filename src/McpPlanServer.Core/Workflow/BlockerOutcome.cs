namespace McpPlanServer.Core.Workflow;

/// <summary>How the implementer's wait for an answer to a blocker ended.</summary>
public enum BlockerOutcome
{
    Answered,
    Abandoned,
    TimedOut,
}
