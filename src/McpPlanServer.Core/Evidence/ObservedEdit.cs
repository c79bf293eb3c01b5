namespace McpPlanServer.Core.Evidence;

/// <summary>
/// An edit a client's hook could only watch after it happened (Cursor's <c>afterFileEdit</c>) to a file the session's
/// role may not change. The hook records it in the plan store; the server reports it to the implementer and the reviewer.
/// </summary>
/// <param name="Path">The repository-relative file, forward slashes.</param>
/// <param name="At">When the hook saw the edit.</param>
/// <param name="Client">The client that reported it (<c>cursor</c>).</param>
/// <param name="Role">The session's role (from MCPPLAN_ROLE; observer when unset).</param>
public sealed record ObservedEdit(string Path, DateTimeOffset At, string Client, string Role);
