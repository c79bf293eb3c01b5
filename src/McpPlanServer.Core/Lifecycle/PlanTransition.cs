namespace McpPlanServer.Core.Lifecycle;

/// <summary>Every change of a plan's state. <see cref="PlanLifecycle"/> holds who may make each one and from where.</summary>
public enum PlanTransition
{
    Create,
    Revise,
    Approve,
    RequestChanges,
    ReportBlocker,
    AnswerBlocker,
    CommitStep,
    SubmitForReview,
    SubmitReview,
    Complete,
    Abandon,
}
