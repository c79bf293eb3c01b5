namespace McpPlanServer.Core.Workflow;

/// <summary>
/// What integration did with the plan's own worktree <c>.claude/worktrees/plan-&lt;id&gt;</c>: removed (the branch stays),
/// or kept, with <paramref name="KeptBecause"/> saying why (uncommitted files, another branch checked out there, an error).
/// </summary>
public sealed record PlanWorktreeRemoval(string Folder, string? KeptBecause)
{
    public bool Removed => KeptBecause is null;

    /// <summary>One line for the person.</summary>
    public string Describe() => Removed
        ? $"Removed its worktree {Folder} (the branch stays)."
        : $"Kept its worktree {Folder}: {KeptBecause}. Remove it yourself (git worktree remove) once nothing in it is needed.";
}
