namespace McpPlanServer.Core.Metrics;

/// <summary>One plan's value of a measure (a duration in hours, a count of files).</summary>
public sealed record PlanMeasure(string PlanId, double Value);
