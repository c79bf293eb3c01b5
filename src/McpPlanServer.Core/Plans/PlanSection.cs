namespace McpPlanServer.Core.Plans;

/// <summary>An H2 section: its heading as written, a normalized key for matching, and where it starts and ends.</summary>
public sealed record PlanSection(string Heading, string Key, int Line, int EndLine);
