using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Tests.Domain;

public sealed class PlanLifecycleTests
{
    private static readonly PlanState Awaiting = new(PlanFolder.Review, PlanStatus.AwaitingApproval);
    private static readonly PlanState Implementing = new(PlanFolder.Active, PlanStatus.Implementing);
    private static readonly PlanState InReview = new(PlanFolder.Active, PlanStatus.InReview);
    private static readonly PlanState Verified = new(PlanFolder.Active, PlanStatus.Verified);
    private static readonly PlanState Completed = new(PlanFolder.Completed, PlanStatus.Completed);

    public static TheoryData<PlanTransition, Actor, PlanState> Allowed => new()
    {
        { PlanTransition.Revise, Actor.Planner, Awaiting },
        { PlanTransition.Revise, Actor.Planner, Implementing },
        { PlanTransition.Approve, Actor.Owner, Awaiting },
        { PlanTransition.Approve, Actor.Owner, new PlanState(PlanFolder.Review, PlanStatus.ChangesRequested) },
        { PlanTransition.RequestChanges, Actor.Owner, Awaiting },
        { PlanTransition.RequestChanges, Actor.Owner, new PlanState(PlanFolder.Active, PlanStatus.NeedsHuman) },
        { PlanTransition.ReportBlocker, Actor.Implementer, Implementing },
        { PlanTransition.AnswerBlocker, Actor.Planner, new PlanState(PlanFolder.Active, PlanStatus.Blocked) },
        { PlanTransition.CommitStep, Actor.Implementer, Implementing },
        { PlanTransition.CommitStep, Actor.Implementer, new PlanState(PlanFolder.Active, PlanStatus.ChangesRequested) },
        { PlanTransition.SubmitForReview, Actor.Implementer, Implementing },
        { PlanTransition.SubmitReview, Actor.Planner, InReview },
        { PlanTransition.Complete, Actor.Owner, Verified },
        { PlanTransition.Abandon, Actor.Owner, Awaiting },
        { PlanTransition.Abandon, Actor.Owner, InReview },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Allows_the_right_actor_from_the_right_state(PlanTransition transition, Actor actor, PlanState state) =>
        PlanLifecycle.Require(transition, actor, "p", state);

    public static TheoryData<PlanTransition, Actor, PlanState, string> Refused => new()
    {
        { PlanTransition.Approve, Actor.Planner, Awaiting, "wrong_role" },
        { PlanTransition.Approve, Actor.Implementer, Awaiting, "wrong_role" },
        { PlanTransition.Approve, Actor.Owner, Implementing, "wrong_state" },
        { PlanTransition.Complete, Actor.Owner, InReview, "wrong_state" },
        { PlanTransition.Complete, Actor.Owner, Implementing, "wrong_state" },
        { PlanTransition.CommitStep, Actor.Implementer, Awaiting, "wrong_state" },
        { PlanTransition.CommitStep, Actor.Implementer, InReview, "wrong_state" },
        { PlanTransition.CommitStep, Actor.Planner, Implementing, "wrong_role" },
        { PlanTransition.SubmitReview, Actor.Planner, Implementing, "wrong_state" },
        { PlanTransition.SubmitReview, Actor.Implementer, InReview, "wrong_role" },
        { PlanTransition.Revise, Actor.Implementer, Awaiting, "wrong_role" },
        { PlanTransition.Revise, Actor.Planner, Completed, "wrong_state" },
        { PlanTransition.Abandon, Actor.Owner, Completed, "wrong_state" },
        { PlanTransition.ReportBlocker, Actor.Observer, Implementing, "wrong_role" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Refuses_with_who_may_and_what_next(PlanTransition transition, Actor actor, PlanState state, string code)
    {
        var refusal = Assert.Throws<PlanRefusedException>(() => PlanLifecycle.Require(transition, actor, "p", state));
        Assert.Equal(code, refusal.Code);
        var rule = PlanLifecycle.RuleFor(transition);
        Assert.Contains(code == "wrong_role" ? rule.Actor.ToName() : rule.Command, refusal.Message);
    }

    [Fact]
    public void No_agent_role_may_approve_complete_or_abandon()
    {
        foreach (var transition in new[] { PlanTransition.Approve, PlanTransition.Complete, PlanTransition.Abandon, PlanTransition.RequestChanges })
        {
            Assert.Equal(Actor.Owner, PlanLifecycle.RuleFor(transition).Actor);
        }
    }

    [Fact]
    public void Create_refuses_an_existing_plan_and_other_transitions_a_missing_one()
    {
        Assert.Equal("plan_exists", Assert.Throws<PlanRefusedException>(() => PlanLifecycle.Require(PlanTransition.Create, Actor.Planner, "p", Completed)).Code);
        Assert.Equal("plan_not_found", Assert.Throws<PlanRefusedException>(() => PlanLifecycle.Require(PlanTransition.Approve, Actor.Owner, "p", null)).Code);
    }

    [Fact]
    public void Every_transition_has_exactly_one_rule() =>
        Assert.Equal(Enum.GetValues<PlanTransition>().Order(), PlanLifecycle.Rules.Select(rule => rule.Transition).Order());
}
