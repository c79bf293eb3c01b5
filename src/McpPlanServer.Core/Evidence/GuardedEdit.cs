namespace McpPlanServer.Core.Evidence;

/// <summary>
/// A change, found afterwards in git, to a place every agent's hook denies the implementer: the plans folder or a
/// client's settings. Under a client with no hook (or with its hook switched off) nothing stopped it before it happened,
/// so the person and the reviewer are told after the fact.
/// </summary>
/// <param name="Path">The repository-relative file.</param>
/// <param name="CommitSha">The commit that changed it, or null for a change still in the working tree or index.</param>
/// <param name="Place">What the file is: "the plans folder" or "client settings".</param>
public sealed record GuardedEdit(string Path, string? CommitSha, string Place)
{
    /// <summary>Set when a client's after-the-fact hook reported the edit (<see cref="ObservedEdit"/>) rather than git.</summary>
    public ObservedEdit? Observed { get; init; }

    public string Describe() => Observed is { } seen
        ? $"{Path} ({Place}) was edited in {seen.Client} by a session with role {seen.Role} at {seen.At:u}: the client's hook saw it after it happened and could not block it. "
            + "Check the file against what it should be (git diff) before accepting the work; a hook that blocks before the edit (Cursor 2.4 or later: preToolUse, which mcpplan init --client cursor registers) stops this."
        : $"{Path} ({Place}) was changed {(CommitSha is null ? "in the working tree, not committed" : "by commit " + CommitSha[..Math.Min(12, CommitSha.Length)] + ", made outside commit_step")}. "
        + "The implementer's hook denies this edit, so it came from a client without an mcpplan hook, a session with the hook off, or a person: "
        + "find out who made it before accepting the work (mcpplan doctor --clients shows which clients have hooks).";
}
