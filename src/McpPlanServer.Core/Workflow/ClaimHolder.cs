namespace McpPlanServer.Core.Workflow;

/// <summary>Who claims: one server session, named by a random id, its process, host and the worktree it runs in.</summary>
public sealed record ClaimHolder(string SessionId, int ProcessId, string Host, string Worktree)
{
    public static ClaimHolder NewSession(string worktree) =>
        new(Guid.NewGuid().ToString("N")[..16], Environment.ProcessId, Environment.MachineName, worktree);

    public string Describe() => $"process {ProcessId} on {Host} in {(Worktree.Length == 0 ? "an unnamed worktree" : Worktree)}";
}
