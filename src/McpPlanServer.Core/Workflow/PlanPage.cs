namespace McpPlanServer.Core.Workflow;

/// <summary>
/// A page of list_plans: the plans, how many match in all, the offset of the next page (null at the end), and the bad
/// files found on the way (links where the store expects real folders, plans in two folders), whatever the page.
/// </summary>
public sealed record PlanPage(IReadOnlyList<PlanSummary> Plans, int Total, int? NextOffset, IReadOnlyList<BadFile> BadFiles);
