namespace McpPlanServer.Core.Lifecycle;

/// <summary>The sub-status inside a folder. Review: awaiting_approval, changes_requested. Active: implementing, blocked,
/// in_review, verified, changes_requested, needs_human. Completed: completed, abandoned.</summary>
public enum PlanStatus
{
    AwaitingApproval,
    ChangesRequested,
    Implementing,
    Blocked,
    InReview,
    Verified,
    NeedsHuman,
    Completed,
    Abandoned,
}
