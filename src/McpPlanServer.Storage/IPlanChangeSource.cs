namespace McpPlanServer.Storage;

/// <summary>
/// Tells when plans changed, whoever changed them: the file monitor (watcher and poll of the plans root) or the
/// PostgreSQL listener (LISTEN/NOTIFY, so other machines' changes arrive within a second without polling).
/// </summary>
public interface IPlanChangeSource
{
    /// <summary>Calls <paramref name="onChange"/> after each change (several close together may come as one) until cancelled.</summary>
    Task RunAsync(Func<CancellationToken, Task> onChange, CancellationToken cancellationToken);

    /// <summary>As <see cref="RunAsync"/>, telling which files changed where the source can (<see cref="PlanChanges.Unknown"/> where it cannot).</summary>
    Task RunWithChangesAsync(Func<PlanChanges, CancellationToken, Task> onChange, CancellationToken cancellationToken) =>
        RunAsync(token => onChange(PlanChanges.Unknown, token), cancellationToken);
}
