using System.Collections.Concurrent;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;

namespace McpPlanServer.Core.Workflow;

/// <summary>
/// Summaries kept per plan file and reused while the file, its record and (for active plans, whose steps git decides)
/// the commit HEAD points at are unchanged. The files stay the truth: any doubt (no stamp, a change while reading, a
/// refusal) means a fresh read, and dropping the index loses nothing. With <see cref="Shared"/>, entries are also taken
/// from and given to other processes under the same key; only summaries of files whose last write was already
/// <see cref="SettledAfter"/> old when they were read are given, so a later change within one tick of a coarse
/// filesystem clock cannot leave the same stamp behind.
/// </summary>
public sealed class PlanSummaryIndex(TimeProvider clock)
{
    /// <summary>How old a file's last write must be before its summary is shared (coarse filesystem clocks tick in up to a second or two).</summary>
    public static readonly TimeSpan SettledAfter = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<(PlanId Id, PlanFolder Folder), Entry> entries = new();
    private readonly Lock gate = new();
    private readonly List<SharedSummary> unsaved = [];
    private IReadOnlyDictionary<(string Id, PlanFolder Folder), SharedSummary>? saved;
    private int sharedHits;
    private DateTimeOffset? publishedAt;

    public PlanSummaryIndex()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Summaries shared with other processes on the same plans root; null keeps them to this process.</summary>
    public ISharedSummaries? Shared { get; set; }

    /// <summary>How many summaries were taken from <see cref="Shared"/> instead of read (for tests and the benchmark).</summary>
    public int SharedHits => Volatile.Read(ref sharedHits);

    /// <summary>
    /// The kept summary when its key still holds; otherwise <paramref name="fresh"/>'s, kept when it says so (not a
    /// moved or unusable plan) and nothing changed while it ran.
    /// </summary>
    public PlanSummary? Summary(PlanLocation location, PlanFileStamp? stamp, Func<PlanFileStamp?> restamp, string? head, Func<(PlanSummary? Summary, bool Keep)> fresh)
    {
        var key = (location.Id, location.Folder);
        if (stamp is null)
        {
            entries.TryRemove(key, out _);
            return fresh().Summary;
        }

        if (entries.TryGetValue(key, out var kept) && kept.Stamp == stamp && kept.Head == head)
        {
            return kept.Summary;
        }

        if (SavedEntry(location) is { } shared && shared.Stamp == stamp && shared.Head == head)
        {
            entries[key] = new Entry(stamp, head, shared.Summary);
            Interlocked.Increment(ref sharedHits);
            return shared.Summary;
        }

        var readAt = clock.GetUtcNow();
        var (summary, keep) = fresh();
        if (keep && summary is not null && restamp() == stamp)
        {
            entries[key] = new Entry(stamp, head, summary);
            if (Shared is not null && Settled(stamp, readAt))
            {
                lock (gate)
                {
                    unsaved.Add(new SharedSummary(location.Id.Value, location.Folder, stamp, head, summary));
                }
            }
        }
        else
        {
            entries.TryRemove(key, out _);
        }

        return summary;
    }

    /// <summary>
    /// After a listing: gives the summaries read by this process to the others (merged with what they saved, less the
    /// plans no longer listed), and forgets what was loaded, so the next listing sees their latest; at most once per
    /// <see cref="PlanLimits.SharedSummariesSaveInterval"/> (the first time at once).
    /// </summary>
    public void Publish(IReadOnlyList<ListedPlan> listed)
    {
        if (Shared is not { } shared)
        {
            return;
        }

        lock (gate)
        {
            var now = clock.GetUtcNow();
            if (publishedAt is { } last && now - last < PlanLimits.SharedSummariesSaveInterval)
            {
                return; // kept for the next save, at most that interval later
            }

            saved = null;
            if (unsaved.Count == 0)
            {
                return;
            }

            publishedAt = now;

            var present = listed.Select(plan => (plan.Id.Value, plan.Folder)).ToHashSet();
            var merged = shared.Load().Where(pair => present.Contains(pair.Key)).ToDictionary(pair => pair.Key, pair => pair.Value);
            foreach (var entry in unsaved.Where(entry => present.Contains((entry.Id, entry.Folder))))
            {
                merged[(entry.Id, entry.Folder)] = entry;
            }

            unsaved.Clear();
            shared.Save(merged.Values);
        }
    }

    private SharedSummary? SavedEntry(PlanLocation location)
    {
        if (Shared is not { } shared)
        {
            return null;
        }

        lock (gate)
        {
            saved ??= shared.Load();
            return saved.TryGetValue((location.Id.Value, location.Folder), out var entry) ? entry : null;
        }
    }

    private static bool Settled(PlanFileStamp stamp, DateTimeOffset readAt)
    {
        var limit = (readAt - SettledAfter).UtcTicks;
        return stamp.TextWrittenTicks < limit && stamp.RecordWrittenTicks < limit;
    }

    /// <summary>Forgets plans no longer listed, so the index never outgrows the plans on disk.</summary>
    public void Retain(IReadOnlyList<PlanLocation> listed) => Retain(listed.Select(location => (location.Id, location.Folder)), listed.Count);

    /// <inheritdoc cref="Retain(IReadOnlyList{PlanLocation})"/>
    public void Retain(IReadOnlyList<ListedPlan> listed) => Retain(listed.Select(plan => (plan.Id, plan.Folder)), listed.Count);

    private void Retain(IEnumerable<(PlanId Id, PlanFolder Folder)> listed, int count)
    {
        if (entries.Count <= count)
        {
            return;
        }

        var present = listed.ToHashSet();
        foreach (var key in entries.Keys.Where(key => !present.Contains(key)))
        {
            entries.TryRemove(key, out _);
        }
    }

    public int Count => entries.Count;

    private sealed record Entry(PlanFileStamp Stamp, string? Head, PlanSummary Summary);
}
