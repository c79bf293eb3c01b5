using System.Collections.Concurrent;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;

namespace McpPlanServer.Core.Workflow;

/// <summary>
/// Summaries kept per plan file and reused while the file, its record and (for active plans, whose steps git decides)
/// the commit HEAD points at are unchanged. The files stay the truth: any doubt (no stamp, a change while reading, a
/// refusal) means a fresh read, and dropping the index loses nothing.
/// </summary>
public sealed class PlanSummaryIndex
{
    private readonly ConcurrentDictionary<(PlanId Id, PlanFolder Folder), Entry> entries = new();

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

        var (summary, keep) = fresh();
        if (keep && summary is not null && restamp() == stamp)
        {
            entries[key] = new Entry(stamp, head, summary);
        }
        else
        {
            entries.TryRemove(key, out _);
        }

        return summary;
    }

    /// <summary>Forgets plans no longer listed, so the index never outgrows the plans on disk.</summary>
    public void Retain(IReadOnlyList<PlanLocation> listed)
    {
        if (entries.Count <= listed.Count)
        {
            return;
        }

        var present = listed.Select(location => (location.Id, location.Folder)).ToHashSet();
        foreach (var key in entries.Keys.Where(key => !present.Contains(key)))
        {
            entries.TryRemove(key, out _);
        }
    }

    public int Count => entries.Count;

    private sealed record Entry(PlanFileStamp Stamp, string? Head, PlanSummary Summary);
}
