using McpPlanServer.Core.Records;

namespace McpPlanServer.Core.Reviews;

/// <summary>A finding as the planner submits it, before it gets an id.</summary>
public sealed record FindingInput(FindingSeverity Severity, string Location, string Message);
