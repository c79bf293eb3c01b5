using McpPlanServer.Core.Records;

namespace McpPlanServer.Core.Workflow;

/// <summary>The end of a wait for the planner's answer: the plan as it stands, the blocker (with its answer when given), and how it ended.</summary>
public sealed record BlockerAnswer(LoadedPlan Plan, Blocker Blocker, BlockerOutcome Outcome, TimeSpan Waited);
