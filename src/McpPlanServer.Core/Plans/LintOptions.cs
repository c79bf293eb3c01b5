using McpPlanServer.Core.Configuration;

namespace McpPlanServer.Core.Plans;

/// <summary>What the linter requires: the H2 sections every plan must have.</summary>
public sealed record LintOptions(IReadOnlyList<string> RequiredSections)
{
    /// <summary>The plans root, where acceptance test files may not be placed (PL111).</summary>
    public string PlansRoot { get; init; } = PlanServerConfig.DefaultPlansRoot;

    public static LintOptions Default { get; } = new(PlanServerConfig.DefaultRequiredSections);
}
