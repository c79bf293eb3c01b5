namespace McpPlanServer.Core.Evidence;

/// <summary>
/// An uncommitted change in the working tree or index (state: added, modified, deleted, untracked, renamed, conflicted).
/// <paramref name="ExternalConversion"/> names the attribute (<c>filter=lfs</c>, <c>working-tree-encoding=…</c>) that
/// keeps commit_step from committing it: such a file can only be committed with git itself.
/// </summary>
public sealed record WorkingChange(string Path, string State, bool Staged, string? ExternalConversion = null);
