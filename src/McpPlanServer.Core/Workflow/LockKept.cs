namespace McpPlanServer.Core.Workflow;

/// <summary>What <see cref="IPlanStore.ReleaseDuring"/> returns for a store that keeps its lock across outside work: nothing to undo.</summary>
public sealed class LockKept : IDisposable
{
    public static readonly LockKept Instance = new();

    private LockKept()
    {
    }

    public void Dispose()
    {
    }
}
