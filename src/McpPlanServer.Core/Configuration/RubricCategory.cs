namespace McpPlanServer.Core.Configuration;

/// <summary>One rubric category and its weight in the weighted total.</summary>
public sealed record RubricCategory(string Name, int Weight);
