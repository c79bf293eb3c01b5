namespace McpPlanServer.Core.Workflow;

/// <summary>
/// Something in the records or the journal that mcpplan did not write: a record whose content no journal line
/// recorded (<see cref="RecordChanged"/>), or a journal line that does not follow the one before it (<see cref="Line"/>).
/// <see cref="PlanId"/> null: it concerns every plan.
/// </summary>
public sealed record TamperFinding(string? PlanId, string What, int? Line = null, bool RecordChanged = false);
