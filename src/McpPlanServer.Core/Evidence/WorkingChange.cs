namespace McpPlanServer.Core.Evidence;

/// <summary>An uncommitted change in the working tree or index (state: added, modified, deleted, untracked, renamed, conflicted).</summary>
public sealed record WorkingChange(string Path, string State, bool Staged);
