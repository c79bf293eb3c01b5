namespace McpPlanServer.Core.Workflow;

/// <summary>
/// Where a claimed plan is built: its branch and the worktree that has it checked out. <paramref name="How"/> says what the
/// claim did: <c>here</c> (this worktree already was on it), <c>switched</c> (this linked worktree, e.g. <c>claude -w NAME</c>,
/// was switched to it), <c>existing</c> (another worktree has it), <c>created</c> (a new worktree under <c>.claude/worktrees/</c>).
/// </summary>
public sealed record PlanWorktree(string Branch, string Path, string How)
{
    /// <summary>The branch a plan is built on when plan branches are used.</summary>
    public static string BranchOf(string planId) => "plan/" + planId;

    /// <summary>The folder name of a plan's own worktree under <c>.claude/worktrees/</c>.</summary>
    public static string FolderOf(string planId) => "plan-" + planId;
}
