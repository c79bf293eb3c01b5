using McpPlanServer.Core.Configuration;

namespace McpPlanServer.Core.Plans;

/// <summary>What the linter requires: the H2 sections every plan must have.</summary>
public sealed record LintOptions(IReadOnlyList<string> RequiredSections)
{
    public static LintOptions Default { get; } = new(PlanServerConfig.DefaultRequiredSections);
}
