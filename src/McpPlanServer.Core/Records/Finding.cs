namespace McpPlanServer.Core.Records;

/// <summary>A review finding. Open until a step commit names it as addressed and a later review passes.</summary>
public sealed record Finding(string Id, FindingSeverity Severity, string Location, string Message, bool Open);
