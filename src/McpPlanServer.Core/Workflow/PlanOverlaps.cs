using System.Collections.Concurrent;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;

namespace McpPlanServer.Core.Workflow;

/// <summary>
/// Approved plans (in Active/) that list the same file: two builders would edit it at once. Each plan's planned files are
/// kept while its files are unchanged (<see cref="PlanFileStamp"/>), so a listing reads only the texts that changed.
/// </summary>
internal sealed class PlanOverlaps(IPlanStore store)
{
    private readonly ConcurrentDictionary<PlanId, (PlanFileStamp? Stamp, string[] Files)> known = new();

    /// <summary>For each of <paramref name="ids"/> that is active: every other active plan listing one of its files, with
    /// the files they share. One pass over the active plans, however many ids are asked about.</summary>
    public Dictionary<string, IReadOnlyList<(string PlanId, IReadOnlyList<string> Files)>> Of(IReadOnlyCollection<string> ids)
    {
        var result = new Dictionary<string, IReadOnlyList<(string PlanId, IReadOnlyList<string> Files)>>(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return result;
        }

        var active = store.ListPlans()
            .Where(location => location.Folder == PlanFolder.Active)
            .OrderBy(location => location.Id.Value, StringComparer.Ordinal)
            .Select(location => (Id: location.Id.Value, Files: FilesOf(location)))
            .ToList();
        foreach (var (id, own) in active.Where(plan => ids.Contains(plan.Id)))
        {
            var mine = own.ToHashSet(StringComparer.Ordinal);
            var shared = new List<(string PlanId, IReadOnlyList<string> Files)>();
            foreach (var other in active.Where(other => other.Id != id))
            {
                var files = other.Files.Where(mine.Contains).ToList();
                if (files.Count > 0)
                {
                    shared.Add((other.Id, files));
                }
            }

            result[id] = shared;
        }

        return result;
    }

    /// <summary>One line for a view: "shares a.cs with plan 'x'; b.cs with plan 'y'"; null when there is no overlap.</summary>
    public static string? Describe(IReadOnlyList<(string PlanId, IReadOnlyList<string> Files)>? overlaps) =>
        overlaps is null || overlaps.Count == 0 ? null : "shares " + string.Join("; ", overlaps.Select(overlap => $"{string.Join(", ", overlap.Files)} with plan '{overlap.PlanId}'"));

    private string[] FilesOf(PlanLocation location)
    {
        var stamp = store.Stamp(location);
        if (stamp is not null && known.TryGetValue(location.Id, out var cached) && cached.Stamp == stamp)
        {
            return cached.Files;
        }

        try
        {
            var files = PlanParser.Parse(store.ReadText(location)).PlannedFiles.Select(file => file.Path).Distinct(StringComparer.Ordinal).ToArray();
            known[location.Id] = (stamp, files);
            return files;
        }
        catch (PlanRefusedException)
        {
            return []; // an unreadable plan is named by the listing with its repair
        }
    }
}
