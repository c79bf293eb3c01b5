namespace McpPlanServer.Core.Plans;

/// <summary>The bold metadata lines under the title (<c>**Created**: …</c>). A missing line is null.</summary>
public sealed record PlanMetadata(
    string? Created,
    string? Author,
    string? EstimatedEffort,
    string? RiskLevel,
    IReadOnlyList<string> DependsOn,
    bool StepsIndependent);
