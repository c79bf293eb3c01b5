namespace McpPlanServer.Core.Lifecycle;

/// <summary>One guard of the state machine: the actor allowed to make a transition and the states it may start from.</summary>
public sealed record TransitionRule(PlanTransition Transition, Actor Actor, string Command, IReadOnlyList<PlanState> From);
