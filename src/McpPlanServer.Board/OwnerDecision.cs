using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Board;

/// <summary>The person's decisions the board offers, and whether the lifecycle allows each for a plan's state.</summary>
internal static class OwnerDecision
{
    public const string Approve = "approve";
    public const string RequestChanges = "request-changes";
    public const string Complete = "complete";
    public const string Abandon = "abandon";
    public const string Integrate = "integrate";

    public static IReadOnlyList<string> All { get; } = [Approve, Integrate, Complete, RequestChanges, Abandon];

    /// <summary>Approve also re-approves an active plan whose text changed since its approval (as the CLI does); integrate
    /// is offered for a verified plan where the board can reach the repository's branches.</summary>
    public static bool Offered(string decision, LoadedPlan plan, BoardRepository repository) => decision switch
    {
        Integrate => repository.Integrator is not null && plan.Location.Folder == PlanFolder.Active && plan.State.Status == PlanStatus.Verified,
        Approve => Allows(PlanTransition.Approve, plan.State) || (plan.Location.Folder == PlanFolder.Active && !plan.ApprovalValid),
        RequestChanges => Allows(PlanTransition.RequestChanges, plan.State),
        Complete => Allows(PlanTransition.Complete, plan.State),
        Abandon => Allows(PlanTransition.Abandon, plan.State),
        _ => false,
    };

    public static string Purpose(BoardRepository repository, string planId, string decision) => $"{repository.Key}/{planId}/{decision}";

    private static bool Allows(PlanTransition transition, PlanState state) => PlanLifecycle.RuleFor(transition).From.Contains(state);
}
