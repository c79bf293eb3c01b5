namespace McpPlanServer.EndToEnd.Reliability;

/// <summary>Counts of a reliability run: what was tried, what was refused as it should be, what failed unexpectedly.</summary>
public sealed class OperationTally
{
    private int attempted;
    private int succeeded;
    private int refused;
    private readonly List<string> unexpected = [];

    public int Attempted => attempted;

    public int Succeeded => succeeded;

    public int Refused => refused;

    public IReadOnlyList<string> Unexpected
    {
        get
        {
            lock (unexpected)
            {
                return [.. unexpected];
            }
        }
    }

    public void Attempt() => Interlocked.Increment(ref attempted);

    public void Success() => Interlocked.Increment(ref succeeded);

    public void Refusal() => Interlocked.Increment(ref refused);

    public void Failure(string what)
    {
        lock (unexpected)
        {
            unexpected.Add(what);
        }
    }

    public string Summary(int invariantsChecked) =>
        $"operations attempted {Attempted}, succeeded {Succeeded}, refused as expected {Refused}, failed unexpectedly {Unexpected.Count}, invariants checked {invariantsChecked}";
}
