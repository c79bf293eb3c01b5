using McpPlanServer.Core.Records;

namespace McpPlanServer.Core.Workflow;

/// <summary>A blocker as reported or answered, with the plan as it was saved under the lock.</summary>
public sealed record RecordedBlocker(LoadedPlan Plan, Blocker Blocker);
