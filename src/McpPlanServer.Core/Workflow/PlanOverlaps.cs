using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;

namespace McpPlanServer.Core.Workflow;

/// <summary>
/// Approved plans (in Active/) that list the same file: two builders would edit it at once. Each active plan's planned
/// files are kept while its text is unchanged (<see cref="PlanFileStamp.SameText"/>: a record written by a step's commit
/// leaves them as they were), with the plans listing each file, so a
/// question about a few plans costs their own files, not a pass over every active plan.
/// <para>
/// <see cref="Of"/> (decisions: claims, the approval warning) stamps every active plan first, as a fresh read would.
/// <see cref="ForListing"/> stamps only the plans asked about while the store answers with the same folder listing (no
/// plan added, moved or removed) and the last full pass is younger than <see cref="PlanLimits.OverlapRecheck"/>; so a
/// text edited in place (no rename, so the folder is unchanged) of a plan not on the page is seen at the next full pass.
/// </para>
/// </summary>
internal sealed class PlanOverlaps(IPlanStore store, TimeProvider clock)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Known> known = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> plansByFile = new(StringComparer.Ordinal);
    private IReadOnlyList<ListedPlan>? syncedWith;
    private DateTimeOffset syncedAt;

    /// <summary>For each of <paramref name="ids"/> that is active: every other active plan listing one of its files, with
    /// the files they share. Every active plan is stamped first (its text re-read when changed).</summary>
    public Dictionary<string, IReadOnlyList<(string PlanId, IReadOnlyList<string> Files)>> Of(IReadOnlyCollection<string> ids) => Answer(ids, exact: true);

    /// <summary>As <see cref="Of"/>, for a listing: only <paramref name="ids"/> are stamped while the folder listing is the one
    /// of the last full pass and that pass is recent (see the class). <paramref name="listed"/> is the store's listing the
    /// page was taken from, not read again.</summary>
    public Dictionary<string, IReadOnlyList<(string PlanId, IReadOnlyList<string> Files)>> ForListing(IReadOnlyCollection<string> ids, IReadOnlyList<ListedPlan> listed) => Answer(ids, exact: false, listed);

    private Dictionary<string, IReadOnlyList<(string PlanId, IReadOnlyList<string> Files)>> Answer(IReadOnlyCollection<string> ids, bool exact, IReadOnlyList<ListedPlan>? given = null)
    {
        var result = new Dictionary<string, IReadOnlyList<(string PlanId, IReadOnlyList<string> Files)>>(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return result;
        }

        lock (gate)
        {
            var listed = given ?? store.ListPlanNames();
            var now = clock.GetUtcNow();
            if (exact || !ReferenceEquals(listed, syncedWith) || now - syncedAt >= PlanLimits.OverlapRecheck)
            {
                Synchronize(listed);
                syncedWith = listed;
                syncedAt = now;
            }
            else
            {
                foreach (var id in ids.Where(known.ContainsKey))
                {
                    Refresh(known[id].Id);
                }
            }

            foreach (var id in ids.Where(known.ContainsKey))
            {
                result[id] = Shared(id);
            }
        }

        return result;
    }

    /// <summary>One line for a view: "shares a.cs with plan 'x'; b.cs with plan 'y'"; null when there is no overlap.</summary>
    public static string? Describe(IReadOnlyList<(string PlanId, IReadOnlyList<string> Files)>? overlaps) =>
        overlaps is null || overlaps.Count == 0 ? null : "shares " + string.Join("; ", overlaps.Select(overlap => $"{string.Join(", ", overlap.Files)} with plan '{overlap.PlanId}'"));

    /// <summary>The other active plans sharing a file with <paramref name="id"/>, by id, each with the shared files in its own order.</summary>
    private List<(string PlanId, IReadOnlyList<string> Files)> Shared(string id)
    {
        var mine = known[id].Files;
        var mineSet = mine.ToHashSet(StringComparer.Ordinal);
        return mine.SelectMany(file => plansByFile.TryGetValue(file, out var plans) ? plans : [])
            .Where(other => other != id)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(other => (other, (IReadOnlyList<string>)[.. known[other].Files.Where(mineSet.Contains)]))
            .ToList();
    }

    /// <summary>Every active plan of the listing stamped (its files re-read when changed); plans no longer active forgotten.</summary>
    private void Synchronize(IReadOnlyList<ListedPlan> listed)
    {
        var active = new HashSet<string>(StringComparer.Ordinal);
        foreach (var plan in listed.Where(plan => plan.Folder == PlanFolder.Active))
        {
            active.Add(plan.Id.Value);
            Refresh(plan.Id);
        }

        foreach (var gone in known.Keys.Where(id => !active.Contains(id)).ToList())
        {
            Set(gone, null);
        }
    }

    private void Refresh(PlanId id)
    {
        var location = new PlanLocation(id, PlanFolder.Active, default);
        var stamp = store.Stamp(location);
        if (stamp is not null && known.TryGetValue(id.Value, out var kept) && stamp.SameText(kept.Stamp))
        {
            // The planned files come from the text alone: a step recorded (a new record) leaves them as they were.
            return;
        }

        string[] files;
        try
        {
            files = PlanParser.Parse(store.ReadText(location)).PlannedFiles.Select(file => file.Path).Distinct(StringComparer.Ordinal).ToArray();
        }
        catch (PlanRefusedException)
        {
            files = []; // an unreadable plan is named by the listing with its repair
        }

        // Kept only when nothing changed while it was read; a plan without a stamp (a link, gone) is read at every pass.
        Set(id.Value, new Known(id, stamp is not null && store.Stamp(location) == stamp ? stamp : null, files));
    }

    private void Set(string id, Known? now)
    {
        if (known.Remove(id, out var before))
        {
            foreach (var file in before.Files)
            {
                if (plansByFile.TryGetValue(file, out var plans) && plans.Remove(id) && plans.Count == 0)
                {
                    plansByFile.Remove(file);
                }
            }
        }

        if (now is null)
        {
            return;
        }

        known[id] = now;
        foreach (var file in now.Files)
        {
            if (!plansByFile.TryGetValue(file, out var plans))
            {
                plansByFile[file] = plans = new HashSet<string>(StringComparer.Ordinal);
            }

            plans.Add(id);
        }
    }

    private sealed record Known(PlanId Id, PlanFileStamp? Stamp, string[] Files);
}
