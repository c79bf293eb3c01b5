using System.Globalization;
using McpPlanServer.Storage;
using Microsoft.AspNetCore.Http;

namespace McpPlanServer.Board;

/// <summary>
/// Live updates: one change monitor per repository (file-system watcher plus poll) invalidates that repository's page
/// model and wakes every open page through server-sent events; the page then fetches itself again.
/// </summary>
internal sealed class BoardEvents(IReadOnlyList<BoardRepository> repositories, TimeSpan pollInterval)
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);
    private readonly Lock gate = new();
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long sequence;

    public long Sequence => Interlocked.Read(ref sequence);

    /// <summary>Runs the monitors until <paramref name="stopping"/> fires.</summary>
    public Task RunMonitorsAsync(CancellationToken stopping) =>
        Task.WhenAll(repositories.Select(repository => RunMonitorAsync(repository, stopping)));

    private async Task RunMonitorAsync(BoardRepository repository, CancellationToken stopping)
    {
        var monitor = repository.ChangeSource?.Invoke(pollInterval, true) ?? new PlanChangeMonitor(repository.PlansRootPath, pollInterval, watch: true);
        try
        {
            await monitor.RunAsync(
                _ =>
                {
                    Changed(repository);
                    return Task.CompletedTask;
                },
                stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>Marks the repository's model stale and wakes the pages.</summary>
    public void Changed(BoardRepository repository)
    {
        repository.Snapshots.Invalidate();
        TaskCompletionSource wake;
        lock (gate)
        {
            wake = changed;
            changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Interlocked.Increment(ref sequence);
        }

        wake.TrySetResult();
    }

    /// <summary>The <c>/events</c> stream: an event per change, a comment as heartbeat so proxies and idle timers keep it open.</summary>
    public async Task Stream(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-store";
        var aborted = context.RequestAborted;
        await response.WriteAsync("retry: 1000\n\n", aborted);
        await response.Body.FlushAsync(aborted);
        try
        {
            var sent = Sequence;
            while (!aborted.IsCancellationRequested)
            {
                Task next;
                long current;
                lock (gate)
                {
                    next = changed.Task;
                    current = sequence;
                }

                if (current != sent)
                {
                    // Compared by number, so a change that landed while the last event was being written is not lost.
                    sent = current;
                    await response.WriteAsync($"event: changed\ndata: {current.ToString(CultureInfo.InvariantCulture)}\n\n", aborted);
                    await response.Body.FlushAsync(aborted);
                    continue;
                }

                if (await Task.WhenAny(next, Task.Delay(Heartbeat, aborted)) != next)
                {
                    await response.WriteAsync(": alive\n\n", aborted);
                    await response.Body.FlushAsync(aborted);
                }
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The page closed or reloaded.
        }
    }
}
