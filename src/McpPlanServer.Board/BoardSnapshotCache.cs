using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Metrics;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Board;

/// <summary>
/// The board's page model for one repository, kept until something changes. A change that names its plans (the change
/// monitor's changed files, the board's own decisions) is patched in: only those plans, and the plans whose readiness
/// reads them, are summarized again, so a change costs the same with 10 or 10,000 plans. A change that names nothing
/// (<see cref="Invalidate"/>, a change source that cannot tell), HEAD moving under many active plans, or a plan that
/// cannot be summarized alone (in two folders, a link) rebuilds the whole model from the listing. Either way the model
/// equals one built from scratch. Each plan's dependencies are parsed from its text once per version of that text.
/// </summary>
internal sealed class BoardSnapshotCache(PlanWorkflow workflow)
{
    /// <summary>More plans than this to summarize again: one listing is cheaper than finding each.</summary>
    private const int PatchLimit = 256;

    private readonly Lock gate = new();
    private readonly Lock pendingGate = new();
    private readonly HashSet<string> pendingIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DateTimeOffset Written, IReadOnlyList<string> DependsOn)> dependencies = new(StringComparer.Ordinal);
    private bool pendingAll = true;
    private long version;
    private BoardSnapshot? snapshot;
    private string? builtHead;
    private (long Version, WorkflowMetrics Metrics)? metrics;

    /// <summary>The records the numbers page counts, by plan, kept like the cards: changed plans are read again, not every record.</summary>
    private Dictionary<string, PlanRecord>? metricRecords;
    private readonly HashSet<string> metricPendingIds = new(StringComparer.Ordinal);
    private bool metricPendingAll = true;

    public long Version => Interlocked.Read(ref version);

    /// <summary>How the last model came to be, for tests: patched in place or rebuilt from the whole listing.</summary>
    public bool LastWasPatch { get; private set; }

    /// <summary>Something changed, not known what: the next model is built from the whole listing.</summary>
    public void Invalidate() => Changed(null);

    /// <summary>These plans changed (null: not known which); the next model reads them again.</summary>
    public void Changed(IReadOnlyCollection<string>? planIds)
    {
        lock (pendingGate)
        {
            if (planIds is null)
            {
                pendingAll = true;
                metricPendingAll = true;
            }
            else
            {
                pendingIds.UnionWith(planIds);
                metricPendingIds.UnionWith(planIds);
            }

            Interlocked.Increment(ref version);
        }
    }

    public BoardSnapshot Current(DateTimeOffset now)
    {
        lock (gate)
        {
            long wanted;
            HashSet<string>? changed;
            lock (pendingGate)
            {
                wanted = Version;
                if (snapshot is { } built && built.Version == wanted)
                {
                    return built;
                }

                changed = pendingAll || snapshot is null ? null : [.. pendingIds];
                pendingIds.Clear();
                pendingAll = false;
            }

            try
            {
                var patched = changed is null ? null : Patch(snapshot!, changed, wanted, now);
                LastWasPatch = patched is not null;
                snapshot = patched ?? Build(wanted, now);
                return snapshot;
            }
            catch
            {
                // What was pending must not be lost with a failed build: the next request reads everything.
                Invalidate();
                throw;
            }
        }
    }

    /// <summary>The numbers page's metrics from every plan's record, the changed plans' records read again (every record
    /// only after a change that names no plan, or one that cannot be placed alone); records in plan id order.</summary>
    public WorkflowMetrics Metrics(DateTimeOffset now)
    {
        var wanted = Version;
        lock (gate)
        {
            if (metrics is { } computed && computed.Version == wanted)
            {
                return computed.Metrics;
            }

            HashSet<string>? changed;
            lock (pendingGate)
            {
                changed = metricPendingAll || metricRecords is null ? null : [.. metricPendingIds];
                metricPendingIds.Clear();
                metricPendingAll = false;
            }

            try
            {
                metricRecords = (changed is null ? null : PatchRecords(metricRecords!, changed)) ?? AllRecords();
            }
            catch
            {
                Invalidate();
                throw;
            }

            var result = WorkflowMetricsCalculator.Compute(metricRecords.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => pair.Value), now);
            metrics = (wanted, result);
            return result;
        }
    }

    private Dictionary<string, PlanRecord>? PatchRecords(Dictionary<string, PlanRecord> records, HashSet<string> changed)
    {
        var ids = new List<PlanId>(changed.Count);
        foreach (var id in changed)
        {
            if (PlanId.TryParse(id, out var planId, out _))
            {
                ids.Add(planId);
            }
        }

        if (workflow.ReadableRecordsOf(ids) is not { } fresh)
        {
            return null;
        }

        foreach (var (id, record) in fresh)
        {
            if (record is null)
            {
                records.Remove(id);
            }
            else
            {
                records[id] = record;
            }
        }

        return records;
    }

    /// <summary>Every readable record by plan; a plan listed twice (in two folders) is counted once, as its id is one plan.</summary>
    private Dictionary<string, PlanRecord> AllRecords()
    {
        var records = new Dictionary<string, PlanRecord>(StringComparer.Ordinal);
        foreach (var record in workflow.ReadableRecords())
        {
            records[record.Id] = record;
        }

        return records;
    }

    private BoardSnapshot Build(long forVersion, DateTimeOffset now)
    {
        builtHead = workflow.HeadForSummaries();
        var locations = new Dictionary<string, PlanLocation>(StringComparer.Ordinal);
        foreach (var location in workflow.ListLocations())
        {
            // A plan in two folders is listed twice: either text serves for the dependencies of its (unusable) cards.
            locations.TryAdd(location.Id.Value, location);
        }

        var summaries = workflow.ListPlans();
        var plans = new List<(PlanSummary, IReadOnlyList<string>)>(summaries.Count);
        foreach (var summary in summaries)
        {
            plans.Add((summary, locations.TryGetValue(summary.Id, out var location) ? DependenciesOf(location) : []));
        }

        foreach (var gone in dependencies.Keys.Where(id => !locations.ContainsKey(id)).ToList())
        {
            dependencies.Remove(gone);
        }

        return Assemble(plans, forVersion, now);
    }

    /// <summary>The previous model with the changed plans (and the plans whose readiness reads them) summarized again;
    /// null when only a whole listing gives the right answer.</summary>
    private BoardSnapshot? Patch(BoardSnapshot previous, HashSet<string> changed, long forVersion, DateTimeOffset now)
    {
        var head = workflow.HeadForSummaries();
        if (head != builtHead)
        {
            // Git decides an active plan's steps and verdict: HEAD moved, so every active plan is read again.
            changed.UnionWith(previous.Cards.Where(card => card.Summary.Folder == PlanFolder.Active).Select(card => card.Id));
        }

        // A summary's readiness reads the records of the plans it depends on.
        var again = new HashSet<string>(changed, StringComparer.Ordinal);
        again.UnionWith(previous.Cards.Where(card => DeclaredInRecord(card.Summary).Any(changed.Contains)).Select(card => card.Id));
        if (again.Count > PatchLimit)
        {
            return null;
        }

        var ids = new List<PlanId>(again.Count);
        foreach (var id in again)
        {
            if (PlanId.TryParse(id, out var planId, out _))
            {
                ids.Add(planId);
            }
        }

        if (workflow.SummariesOf(ids) is not { } fresh)
        {
            return null;
        }

        var plans = previous.Cards.Where(card => !again.Contains(card.Id)).Select(card => (card.Summary, card.DependsOn)).ToList();
        foreach (var (location, summary) in fresh)
        {
            plans.Add((summary, DependenciesOf(location)));
        }

        foreach (var gone in again.Where(id => !fresh.Any(plan => plan.Location.Id.Value == id)))
        {
            dependencies.Remove(gone);
        }

        builtHead = head;
        return Assemble(plans, forVersion, now);
    }

    private static string[] DeclaredInRecord(PlanSummary summary) =>
        summary.DependsOn.Length == 0 ? [] : summary.DependsOn.Split(',');

    /// <summary>The cards in the listing's order (state, then id), with readiness from every plan's state and the live claims:
    /// both read other plans, so they are worked out for every card on every model (in memory, no file read but the claims).</summary>
    private BoardSnapshot Assemble(List<(PlanSummary Summary, IReadOnlyList<string> DependsOn)> plans, long forVersion, DateTimeOffset now)
    {
        plans.Sort((left, right) => left.Summary.Folder != right.Summary.Folder
            ? left.Summary.Folder.CompareTo(right.Summary.Folder)
            : string.CompareOrdinal(left.Summary.Id, right.Summary.Id));

        // A plan in two folders is listed twice (each unusable, with the repair): the first listed stands for its id.
        var statusById = new Dictionary<string, PlanStatus>(plans.Count, StringComparer.Ordinal);
        foreach (var (summary, _) in plans)
        {
            statusById.TryAdd(summary.Id, summary.Status);
        }

        var claims = LiveClaims();
        var cards = new List<BoardCard>(plans.Count);
        foreach (var (summary, dependsOn) in plans)
        {
            cards.Add(new BoardCard(summary, dependsOn, PlanReadiness.Evaluate(dependsOn, statusById), claims.GetValueOrDefault(summary.Id)));
        }

        return new BoardSnapshot(forVersion, cards, now);
    }

    private Dictionary<string, Claim> LiveClaims()
    {
        try
        {
            return workflow.Claims.Live().GroupBy(claim => claim.PlanId, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.MaxBy(claim => claim.Fence)!, StringComparer.Ordinal);
        }
        catch (PlanRefusedException)
        {
            // An unreadable claims file: the board still shows the plans; the CLI's `claims` names the repair.
            return new(StringComparer.Ordinal);
        }
    }

    private IReadOnlyList<string> DependenciesOf(PlanLocation location)
    {
        if (dependencies.TryGetValue(location.Id.Value, out var known) && known.Written == location.LastWriteTime)
        {
            return known.DependsOn;
        }

        IReadOnlyList<string> dependsOn;
        try
        {
            dependsOn = workflow.DeclaredDependencies(location);
        }
        catch (PlanRefusedException)
        {
            // Moved or unreadable right now: the listing already names the reason; the next change retries.
            dependsOn = [];
        }

        dependencies[location.Id.Value] = (location.LastWriteTime, dependsOn);
        return dependsOn;
    }
}
