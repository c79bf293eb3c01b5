using System.Text;
using System.Text.Json;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;
using McpPlanServer.Storage;
using Microsoft.AspNetCore.Http;

namespace McpPlanServer.Board;

/// <summary>
/// Live updates: one change monitor per repository (file-system watcher plus poll) tells that repository's page model
/// which plans changed and wakes every open page through server-sent events, whose data names the changed plans per
/// repository (null: not known which); the page then fetches itself again.
/// </summary>
internal sealed class BoardEvents(IReadOnlyList<BoardRepository> repositories, TimeSpan pollInterval)
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    /// <summary>Changes remembered for the events' data; a page further behind is told that anything may have changed.</summary>
    private const int Remembered = 256;

    private static readonly string[] StateFolders = [.. Enum.GetNames<PlanFolder>()];
    private readonly Lock gate = new();
    private readonly Queue<(long Sequence, string Repository, IReadOnlyCollection<string>? Plans)> recent = new();
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
            var running = monitor.RunWithChangesAsync(
                (changes, _) =>
                {
                    Changed(repository, PlanIdsOf(changes));
                    return Task.CompletedTask;
                },
                stopping);

            // The monitor reports changes after its first look; a model built before that look is read again in full.
            repository.Snapshots.Invalidate();
            await running;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>Marks the repository's model stale for these plans (null: any plan) and wakes the pages.</summary>
    public void Changed(BoardRepository repository, IReadOnlyCollection<string>? planIds)
    {
        repository.Snapshots.Changed(planIds);
        TaskCompletionSource wake;
        lock (gate)
        {
            wake = changed;
            changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var number = Interlocked.Increment(ref sequence);
            recent.Enqueue((number, repository.Key, planIds));
            while (recent.Count > Remembered)
            {
                recent.Dequeue();
            }
        }

        wake.TrySetResult();
    }

    /// <summary>
    /// The plans named by the changed files: a state folder's <c>ID.md</c>, or a record's <c>.records/ID.json</c> (and its
    /// review and acceptance files). Files that are not plans (a README in a state folder) change nothing on the board;
    /// a file anywhere else, or changes not known, name every plan (null).
    /// </summary>
    internal static IReadOnlyCollection<string>? PlanIdsOf(PlanChanges changes)
    {
        if (changes.Paths is not { } paths)
        {
            return null;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var parts = path.Split('/');
            if (parts.Length != 2)
            {
                return null;
            }

            var (folder, name) = (parts[0], parts[1]);
            var stem = folder == ".records" ? name.Split('.')[0]
                : StateFolders.Contains(folder) && name.EndsWith(".md", StringComparison.Ordinal) ? name[..^3]
                : StateFolders.Contains(folder) ? null
                : string.Empty;
            if (stem == string.Empty)
            {
                return null;
            }

            if (stem is not null && PlanId.TryParse(stem, out _, out _))
            {
                ids.Add(stem);
            }
        }

        return ids;
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
                    var data = Describe(sent, current);
                    sent = current;
                    await response.WriteAsync($"event: changed\ndata: {data}\n\n", aborted);
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

    /// <summary>The events' data: <c>{"seq":N,"changed":{"repo":["plan-id",…]}}</c>, the plans each repository changed since
    /// <paramref name="after"/>; null for a repository where any plan may have changed.</summary>
    private string Describe(long after, long upTo)
    {
        var byRepository = new SortedDictionary<string, SortedSet<string>?>(StringComparer.Ordinal);
        lock (gate)
        {
            var complete = recent.Count > 0 && recent.Peek().Sequence <= after + 1;
            foreach (var repository in complete ? [] : repositories)
            {
                byRepository[repository.Key] = null;
            }

            foreach (var (number, repository, plans) in recent)
            {
                if (number <= after || number > upTo || (byRepository.TryGetValue(repository, out var known) && known is null))
                {
                    continue;
                }

                if (plans is null)
                {
                    byRepository[repository] = null;
                    continue;
                }

                if (known is null)
                {
                    byRepository[repository] = known = new SortedSet<string>(StringComparer.Ordinal);
                }

                known.UnionWith(plans);
            }
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("seq", upTo);
            json.WriteStartObject("changed");
            foreach (var (repository, plans) in byRepository)
            {
                if (plans is null)
                {
                    json.WriteNull(repository);
                    continue;
                }

                json.WriteStartArray(repository);
                foreach (var plan in plans)
                {
                    json.WriteStringValue(plan);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
