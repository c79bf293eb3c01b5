using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;

namespace McpPlanServer.Core.Workflow;

/// <summary>
/// The <c>**Depends on**</c> graph across plans: lint findings for one plan's dependencies (an unknown id warns, a
/// cycle is an error that names it) and a plan's readiness — <c>ready</c>, <c>waiting on X</c>, or <c>blocked</c>
/// when a dependency was abandoned or does not exist, so it can never become done.
/// </summary>
public static class DependencyGraph
{
    public const string Ready = "ready";

    /// <param name="dependenciesOf">A plan's dependencies, or null when no such plan exists.</param>
    public static IReadOnlyList<LintFinding> Lint(string id, IReadOnlyList<string> dependsOn, int line, Func<string, IReadOnlyList<string>?> dependenciesOf)
    {
        var findings = new List<LintFinding>();
        foreach (var dependency in dependsOn.Where(dependency => dependency != id && dependenciesOf(dependency) is null))
        {
            findings.Add(new LintFinding(LintSeverity.Warning, "PL107", line,
                $"'**Depends on**' names '{dependency}', but there is no such plan yet: the plan waits until one with that id is written and completed. Check the id with list_plans."));
        }

        if (FindCycle(id, dependsOn, dependenciesOf) is { } cycle)
        {
            findings.Add(new LintFinding(LintSeverity.Error, "PL108", line,
                $"'**Depends on**' makes a cycle: {string.Join(" -> ", cycle)}. No plan in it could ever start; remove one of these dependencies."));
        }

        return findings;
    }

    /// <summary>The path from <paramref name="id"/> back to itself through the dependencies, or null when there is none.</summary>
    public static IReadOnlyList<string>? FindCycle(string id, IReadOnlyList<string> dependsOn, Func<string, IReadOnlyList<string>?> dependenciesOf)
    {
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string> { id };
        return Walk(dependsOn);

        IReadOnlyList<string>? Walk(IReadOnlyList<string> next)
        {
            foreach (var dependency in next)
            {
                if (dependency == id)
                {
                    return [.. path, id];
                }

                if (!visited.Add(dependency) || dependenciesOf(dependency) is not { } further)
                {
                    continue;
                }

                path.Add(dependency);
                if (Walk(further) is { } found)
                {
                    return found;
                }

                path.RemoveAt(path.Count - 1);
            }

            return null;
        }
    }

    /// <summary>The readiness label of a plan with <paramref name="dependsOn"/>, given each dependency's status (absent: no such plan).</summary>
    public static string Readiness(IReadOnlyList<string> dependsOn, IReadOnlyDictionary<string, PlanStatus> statusById)
    {
        var readiness = PlanReadiness.Evaluate(dependsOn, statusById);
        if (readiness.Ready)
        {
            return Ready;
        }

        var dead = dependsOn.Where(dependency => !statusById.TryGetValue(dependency, out var status) || status == PlanStatus.Abandoned).ToList();
        return dead.Count > 0
            ? $"blocked: {string.Join(", ", readiness.WaitingFor.Where(waiting => dead.Any(id => waiting.StartsWith(id + " ", StringComparison.Ordinal))))} can never be done; revise the plan's **Depends on**"
            : $"waiting on {string.Join(", ", readiness.WaitingFor)}";
    }
}
