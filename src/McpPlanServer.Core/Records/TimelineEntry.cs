namespace McpPlanServer.Core.Records;

/// <summary>One event in a plan's life, shown by <c>mcpplan show</c>.</summary>
public sealed record TimelineEntry(DateTimeOffset At, string Actor, string Event, string? Detail);
