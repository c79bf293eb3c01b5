namespace McpPlanServer.Core.Workflow;

/// <summary>A page of list_plans: the plans, how many match in all, and the offset of the next page (null at the end).</summary>
public sealed record PlanPage(IReadOnlyList<PlanSummary> Plans, int Total, int? NextOffset);
