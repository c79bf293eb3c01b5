using McpPlanServer.Core.Records;

namespace McpPlanServer.Core.Workflow;

/// <summary>
/// One plan as the store holds it, read together (<see cref="IPlanStore.ReadPlan"/>): where its text is, the text
/// (validated: UTF-8, size limit) and its record (null: the plan has none yet).
/// </summary>
public sealed record StoredPlan(PlanLocation Location, string Text, PlanRecord? Record);
