using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;

namespace McpPlanServer.Board;

/// <summary>One repository on the board: its key in URLs, a display name, and the workflow that reads and changes it.</summary>
public sealed class BoardRepository(string key, string name, string plansRootPath, PlanWorkflow workflow)
{
    public string Key { get; } = key;

    public string Name { get; } = name;

    public string PlansRootPath { get; } = plansRootPath;

    public PlanWorkflow Workflow { get; } = workflow;

    /// <summary>Moves the repository's branches for <c>integrate</c>; null where the board offers no integration.</summary>
    public IBranchIntegrator? Integrator { get; init; }

    /// <summary>Runs after each of the person's decisions on the board succeeds, as the CLI does after its own (the
    /// implementer's sandbox deny list follows the acceptance pins of active plans).</summary>
    public Action? AfterDecision { get; init; }

    /// <summary>What tells the board that plans changed (given the poll interval and whether to watch); null: the file monitor of <see cref="PlansRootPath"/>.</summary>
    public Func<TimeSpan, bool, IPlanChangeSource>? ChangeSource { get; init; }

    internal BoardSnapshotCache Snapshots { get; } = new(workflow);

    /// <summary>URL keys from folder names: lower-case letters, digits and hyphens, made unique with a number.</summary>
    public static IReadOnlyList<string> KeysFor(IReadOnlyList<string> repositoryRoots)
    {
        var keys = new List<string>();
        foreach (var root in repositoryRoots)
        {
            var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(root)).ToLowerInvariant();
            var cleaned = new string([.. name.Select(character => char.IsAsciiLetterOrDigit(character) ? character : '-')]).Trim('-');
            var key = cleaned.Length == 0 ? "repo" : cleaned;
            var unique = key;
            for (var suffix = 2; keys.Contains(unique); suffix++)
            {
                unique = $"{key}-{suffix}";
            }

            keys.Add(unique);
        }

        return keys;
    }
}
