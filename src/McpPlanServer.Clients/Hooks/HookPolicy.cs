namespace McpPlanServer.Clients.Hooks;

/// <summary>
/// What the hook needs to know about the repository, passed in by the caller (the CLI reads it from
/// <c>.claude/mcpplan.json</c>; tests and the server can build it directly).
/// </summary>
/// <param name="RepoRoot">Absolute repository root (the folder holding <c>.git</c>).</param>
/// <param name="PlansRoot">Plans folder relative to the repository root, forward slashes (<c>.claude/plans</c>).</param>
/// <param name="AllowGitCommitInBash">Let the implementer run <c>git commit</c> through Bash.</param>
/// <param name="HomeDirectory">The user's home, whose <c>.claude/settings*.json</c> are protected too; null when unknown.</param>
/// <param name="ClientConfigDirectory">The client's user settings folder when moved (<c>CLAUDE_CONFIG_DIR</c>); protected like <c>~/.claude</c>.</param>
/// <param name="UnplacedReason">Set when the hook could not find the repository: every call that changes something is denied with it.</param>
public sealed record HookPolicy(
    string RepoRoot,
    string PlansRoot,
    bool AllowGitCommitInBash,
    string? HomeDirectory,
    string? ClientConfigDirectory = null,
    string? UnplacedReason = null)
{
    /// <summary>Acceptance test files pinned by active plans' approvals (issue 20): the implementer may not write them.</summary>
    public IReadOnlyList<string> PinnedFiles { get; init; } = [];

    /// <summary>
    /// The main worktree holding the plan store when the session runs in a linked worktree (issue 11: <c>claude -w NAME</c>
    /// runs in <c>.claude/worktrees/NAME</c>, and the store resolves through the common git directory); null when the
    /// repository root is the store's. Its plans folder and settings are guarded like the session's own.
    /// </summary>
    public string? StoreRoot { get; init; }
}
