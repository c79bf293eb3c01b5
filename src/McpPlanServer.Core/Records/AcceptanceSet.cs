namespace McpPlanServer.Core.Records;

/// <summary>
/// The acceptance test files kept with a plan (beside its record) until the approval commits them. <see cref="Revision"/>
/// grows by one with every write, so a planner writing from a stale read is refused.
/// </summary>
public sealed record AcceptanceSet(long Revision, IReadOnlyList<AcceptanceFile> Files)
{
    public static AcceptanceSet Empty { get; } = new(0, []);

    public AcceptanceFile? Find(string path) => Files.FirstOrDefault(file => string.Equals(file.Path, path, StringComparison.Ordinal));
}
