using McpPlanServer.Core.Lifecycle;

namespace McpPlanServer.Core.Workflow;

/// <summary>
/// Whether a plan's <c>**Depends on**</c> plans are done: ready when every dependency is completed (an abandoned or
/// missing dependency never becomes done, so it keeps the plan waiting and is named).
/// </summary>
public sealed record PlanReadiness(bool Ready, IReadOnlyList<string> WaitingFor)
{
    public static PlanReadiness Evaluate(IReadOnlyList<string> dependsOn, IReadOnlyDictionary<string, PlanStatus> statusById)
    {
        var waiting = dependsOn
            .Where(dependency => !statusById.TryGetValue(dependency, out var status) || status != PlanStatus.Completed)
            .Select(dependency => statusById.TryGetValue(dependency, out var status) ? $"{dependency} ({status.ToWireName()})" : $"{dependency} (no such plan)")
            .ToList();
        return new PlanReadiness(waiting.Count == 0, waiting);
    }
}
