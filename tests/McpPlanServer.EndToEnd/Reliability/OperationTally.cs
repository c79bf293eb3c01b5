using System.Collections.Concurrent;
using System.Text;

namespace McpPlanServer.EndToEnd.Reliability;

/// <summary>Counts of a reliability run: what was tried, what was refused as it should be, what failed unexpectedly;
/// overall, and per operation when the caller names it.</summary>
public sealed class OperationTally
{
    private int attempted;
    private int succeeded;
    private int refused;
    private readonly List<string> unexpected = [];
    private readonly ConcurrentDictionary<string, int[]> perOperation = new(StringComparer.Ordinal);

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

    public void Success(string? operation = null)
    {
        Interlocked.Increment(ref succeeded);
        Count(operation, 0);
    }

    public void Refusal(string? operation = null)
    {
        Interlocked.Increment(ref refused);
        Count(operation, 1);
    }

    public void Failure(string what, string? operation = null)
    {
        Count(operation, 2);
        lock (unexpected)
        {
            unexpected.Add(what);
        }
    }

    public string Summary(int invariantsChecked) =>
        $"operations attempted {Attempted}, succeeded {Succeeded}, refused as expected {Refused}, failed unexpectedly {Unexpected.Count}, invariants checked {invariantsChecked}";

    /// <summary>One line per named operation: ok / expected refusal / unexpected.</summary>
    public string Table()
    {
        var table = new StringBuilder();
        table.AppendLine($"{"operation",-34} {"ok",6} {"refused",8} {"unexpected",10}");
        foreach (var (operation, counts) in perOperation.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            table.AppendLine($"{operation,-34} {counts[0],6} {counts[1],8} {counts[2],10}");
        }

        return table.ToString();
    }

    private void Count(string? operation, int outcome)
    {
        if (operation is not null)
        {
            Interlocked.Increment(ref perOperation.GetOrAdd(operation, _ => new int[3])[outcome]);
        }
    }
}
