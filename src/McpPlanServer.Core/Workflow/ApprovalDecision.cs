namespace McpPlanServer.Core.Workflow;

/// <summary>The end of a wait for the person: the plan as it stands and what they decided.</summary>
public sealed record ApprovalDecision(LoadedPlan Plan, ApprovalOutcome Outcome, TimeSpan Waited);
