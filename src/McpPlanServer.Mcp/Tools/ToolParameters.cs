using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Mcp.Tools;

/// <summary>Parameters several tools share, declared once.</summary>
public static class ToolParameters
{
    /// <summary>An existing plan's id, as list_plans shows it: no description, which would be paid for in every tool.</summary>
    public static TextParameter PlanId { get; } = new("plan_id", PlanLimits.MaxPlanIdArgumentLength) { Required = true };

    /// <summary>The id write_plan gives a new plan: the one place where its form needs saying.</summary>
    public static TextParameter NewPlanId { get; } = PlanId with { Description = "Plan id, e.g. auth-jwt" };

    public static IReadOnlyList<ToolParameter> PlanIdOnly { get; } = [PlanId];
}
