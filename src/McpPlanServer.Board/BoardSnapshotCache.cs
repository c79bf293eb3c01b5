using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Metrics;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Board;

/// <summary>
/// Builds the board's page model for one repository and keeps it until something changes: the change monitor (another
/// process, the CLI, a person's <c>mv</c>) and the board's own decisions call <see cref="Invalidate"/>. The
/// dependencies of each plan are parsed from its text once per version of that text.
/// </summary>
internal sealed class BoardSnapshotCache(PlanWorkflow workflow)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, (DateTimeOffset Written, IReadOnlyList<string> DependsOn)> dependencies = new(StringComparer.Ordinal);
    private long version;
    private BoardSnapshot? snapshot;
    private (long Version, WorkflowMetrics Metrics)? metrics;

    public long Version => Interlocked.Read(ref version);

    public void Invalidate() => Interlocked.Increment(ref version);

    public BoardSnapshot Current(DateTimeOffset now)
    {
        var wanted = Version;
        lock (gate)
        {
            if (snapshot is { } built && built.Version == wanted)
            {
                return built;
            }

            snapshot = Build(wanted, now);
            return snapshot;
        }
    }

    public WorkflowMetrics Metrics(DateTimeOffset now)
    {
        var wanted = Version;
        lock (gate)
        {
            if (metrics is { } computed && computed.Version == wanted)
            {
                return computed.Metrics;
            }

            var result = WorkflowMetricsCalculator.Compute(workflow.ReadableRecords(), now);
            metrics = (wanted, result);
            return result;
        }
    }

    private BoardSnapshot Build(long forVersion, DateTimeOffset now)
    {
        var locations = workflow.ListLocations().ToDictionary(location => location.Id.Value, StringComparer.Ordinal);
        var summaries = workflow.ListPlans();
        var statusById = summaries.ToDictionary(summary => summary.Id, summary => summary.Status, StringComparer.Ordinal);
        var claims = LiveClaims();
        var cards = new List<BoardCard>(summaries.Count);
        foreach (var summary in summaries)
        {
            var dependsOn = locations.TryGetValue(summary.Id, out var location) ? DependenciesOf(location) : [];
            cards.Add(new BoardCard(summary, dependsOn, PlanReadiness.Evaluate(dependsOn, statusById), claims.GetValueOrDefault(summary.Id)));
        }

        foreach (var gone in dependencies.Keys.Where(id => !locations.ContainsKey(id)).ToList())
        {
            dependencies.Remove(gone);
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
