using McpPlanServer.Core.Records;

namespace McpPlanServer.Core.Workflow;

/// <summary>What a claim gave the session: the plan, the claim, and (with plan branches on) where the plan is built.</summary>
public sealed record ClaimGrant(LoadedPlan Plan, Claim Claim)
{
    public PlanWorktree? Worktree { get; init; }
}
