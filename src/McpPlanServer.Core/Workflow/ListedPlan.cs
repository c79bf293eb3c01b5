using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;

namespace McpPlanServer.Core.Workflow;

/// <summary>
/// A plan file found by a listing: its id and folder, and its last-write time when the store read it anyway (null when
/// the store skipped that read: the caller stamps the plans it shows, see <see cref="IPlanStore.Stamp"/>).
/// </summary>
public sealed record ListedPlan(PlanId Id, PlanFolder Folder, DateTimeOffset? LastWriteTime);
