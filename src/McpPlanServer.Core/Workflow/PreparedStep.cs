namespace McpPlanServer.Core.Workflow;

/// <summary>
/// What commit_step checked and prepared before it takes the store's lock to record its intent: the plan as read, the
/// claim the commit will carry, git's prepared commit and the unplanned files in it; or, for the retry after a rejected
/// push whose commit was adopted meanwhile, the answer itself (<see cref="Retried"/>).
/// </summary>
internal sealed record PreparedStep(LoadedPlan Plan, Records.Claim? Claim, Evidence.PreparedCommit? Commit, IReadOnlyList<string> Unplanned, string ApprovalTag)
{
    public StepCommitOutcome? Retried { get; init; }
}
