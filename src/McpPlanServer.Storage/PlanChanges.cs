namespace McpPlanServer.Storage;

/// <summary>
/// What changed under the plans root, as far as a change source can tell: the files (relative to the plans root,
/// '/'-separated, as <c>Active/login.md</c> or <c>.records/login.json</c>) that appeared, went away or were rewritten.
/// <see cref="Unknown"/> when it cannot tell; a view then reads everything again.
/// </summary>
public sealed class PlanChanges
{
    private PlanChanges(IReadOnlySet<string>? paths) => Paths = paths;

    public static PlanChanges Unknown { get; } = new(null);

    /// <summary>The changed files; null when not known.</summary>
    public IReadOnlySet<string>? Paths { get; }

    public static PlanChanges Of(IEnumerable<string> paths) => new(paths.ToHashSet(StringComparer.Ordinal));
}
