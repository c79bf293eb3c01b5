using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Core.Lifecycle;

/// <summary>
/// The state machine of PRODUCT.md: which actor may make each transition, from which states. Every mutating
/// operation asks <see cref="Require"/> first, so a refused call is refused before anything is touched.
/// </summary>
public static class PlanLifecycle
{
    private static readonly PlanState[] AnyReview =
    [
        new(PlanFolder.Review, PlanStatus.AwaitingApproval),
        new(PlanFolder.Review, PlanStatus.ChangesRequested),
    ];

    private static readonly PlanState[] AnyActive =
    [
        new(PlanFolder.Active, PlanStatus.Implementing),
        new(PlanFolder.Active, PlanStatus.Blocked),
        new(PlanFolder.Active, PlanStatus.InReview),
        new(PlanFolder.Active, PlanStatus.Verified),
        new(PlanFolder.Active, PlanStatus.ChangesRequested),
        new(PlanFolder.Active, PlanStatus.NeedsHuman),
    ];

    private static readonly PlanState[] Working =
    [
        new(PlanFolder.Active, PlanStatus.Implementing),
        new(PlanFolder.Active, PlanStatus.ChangesRequested),
    ];

    public static IReadOnlyList<TransitionRule> Rules { get; } =
    [
        new(PlanTransition.Create, Actor.Planner, "write_plan", []),
        new(PlanTransition.Revise, Actor.Planner, "write_plan", [.. AnyReview, .. AnyActive]),
        new(PlanTransition.Approve, Actor.Owner, "mcpplan approve", [.. AnyReview]),
        new(PlanTransition.RequestChanges, Actor.Owner, "mcpplan request-changes", [
            new(PlanFolder.Review, PlanStatus.AwaitingApproval),
            new(PlanFolder.Active, PlanStatus.InReview),
            new(PlanFolder.Active, PlanStatus.Verified),
            new(PlanFolder.Active, PlanStatus.NeedsHuman),
        ]),
        new(PlanTransition.ReportBlocker, Actor.Implementer, "report_blocker", [.. Working, new(PlanFolder.Active, PlanStatus.Blocked)]),
        new(PlanTransition.AnswerBlocker, Actor.Planner, "answer_blocker", [new(PlanFolder.Active, PlanStatus.Blocked)]),
        new(PlanTransition.CommitStep, Actor.Implementer, "commit_step", Working),
        new(PlanTransition.SubmitForReview, Actor.Implementer, "submit_for_review", Working),
        new(PlanTransition.SubmitReview, Actor.Planner, "submit_review", [new(PlanFolder.Active, PlanStatus.InReview)]),
        new(PlanTransition.Complete, Actor.Owner, "mcpplan complete", [new(PlanFolder.Active, PlanStatus.Verified)]),
        new(PlanTransition.Abandon, Actor.Owner, "mcpplan abandon", [.. AnyReview, .. AnyActive]),
    ];

    public static TransitionRule RuleFor(PlanTransition transition) => Rules.First(rule => rule.Transition == transition);

    /// <summary>Refuses, naming who may do it and from which states, unless <paramref name="actor"/> may make the transition now.</summary>
    public static void Require(PlanTransition transition, Actor actor, string planId, PlanState? current)
    {
        var rule = RuleFor(transition);
        if (rule.Actor != actor)
        {
            throw new PlanRefusedException(
                RefusalCodes.WrongRole,
                $"Only the {rule.Actor.ToName()} may {Describe(transition)} ({rule.Command}); this session is the {actor.ToName()}.");
        }

        if (transition == PlanTransition.Create)
        {
            if (current is { } existing)
            {
                throw new PlanRefusedException(
                    RefusalCodes.PlanExists,
                    $"Plan '{planId}' already exists ({existing}). To revise it, read_plan and pass its revision as expected_revision; to start anew, pick another id.");
            }

            return;
        }

        if (current is not { } state)
        {
            throw new PlanRefusedException(RefusalCodes.PlanNotFound, $"There is no plan '{planId}'. list_plans shows the plans that exist.");
        }

        if (!rule.From.Contains(state))
        {
            throw new PlanRefusedException(
                RefusalCodes.WrongState,
                $"Plan '{planId}' is {state}; {rule.Command} needs it to be {string.Join(" or ", rule.From.Select(s => s.ToString()))}. {NextStepHint(state, planId)}");
        }
    }

    /// <summary>What usually moves a plan on from <paramref name="state"/>: appended to refusals so the caller knows the way forward.</summary>
    public static string NextStepHint(PlanState state, string id) => state.Status switch
    {
        PlanStatus.AwaitingApproval => $"It waits for the owner: mcpplan approve {id} or mcpplan request-changes {id}.",
        PlanStatus.ChangesRequested when state.Folder == PlanFolder.Review => "The planner revises it with write_plan.",
        PlanStatus.ChangesRequested => "The implementer addresses the open findings with commit_step, then submit_for_review.",
        PlanStatus.Implementing => "The implementer commits steps with commit_step, then submit_for_review.",
        PlanStatus.Blocked => "The planner answers the blocker with answer_blocker or revises the plan.",
        PlanStatus.InReview => "The planner reviews it with submit_review.",
        PlanStatus.Verified => $"The owner completes it: mcpplan complete {id}.",
        PlanStatus.NeedsHuman => "The owner decides: mcpplan request-changes, complete after a passing review, or abandon.",
        _ => "It is archived and no longer changes.",
    };

    private static string Describe(PlanTransition transition) => transition switch
    {
        PlanTransition.Create => "create plans",
        PlanTransition.Revise => "revise plans",
        PlanTransition.Approve => "approve a plan",
        PlanTransition.RequestChanges => "request changes",
        PlanTransition.ReportBlocker => "report a blocker",
        PlanTransition.AnswerBlocker => "answer a blocker",
        PlanTransition.CommitStep => "commit a step",
        PlanTransition.SubmitForReview => "hand in for review",
        PlanTransition.SubmitReview => "review an implementation",
        PlanTransition.Complete => "complete a plan",
        PlanTransition.Abandon => "abandon a plan",
        _ => transition.ToString(),
    };
}
