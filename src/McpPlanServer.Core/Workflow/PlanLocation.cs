using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;

namespace McpPlanServer.Core.Workflow;

/// <summary>Where a plan's markdown was found on disk, and when it was last written.</summary>
public sealed record PlanLocation(PlanId Id, PlanFolder Folder, DateTimeOffset LastWriteTime);
