using McpPlanServer.Core.Lifecycle;

namespace McpPlanServer.Core.Workflow;

/// <summary>One plan's summary as kept between processes, with the key it holds for: the folder, the files' stamp and, for an active plan, HEAD.</summary>
public sealed record SharedSummary(string Id, PlanFolder Folder, PlanFileStamp Stamp, string? Head, PlanSummary Summary);
