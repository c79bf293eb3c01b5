namespace McpPlanServer.Cli.Security;

/// <summary>What the agent-session check reads about other processes; <see cref="ProcProcessTable"/> reads /proc.</summary>
public interface IProcessTable
{
    /// <summary>False where processes cannot be inspected (no /proc): only the own environment is checked there.</summary>
    bool CanInspect { get; }

    /// <summary>The parent's id, or null when the process is gone or has no parent (pid 1).</summary>
    int? ParentOf(int processId);

    /// <summary>argv, or an empty list when unreadable.</summary>
    IReadOnlyList<string> CommandLine(int processId);

    /// <summary>The kernel's short name of the process (comm), or null.</summary>
    string? Name(int processId);

    /// <summary>The process's environment as it started; empty when unreadable (another user's process).</summary>
    IReadOnlyDictionary<string, string> Environment(int processId);
}
