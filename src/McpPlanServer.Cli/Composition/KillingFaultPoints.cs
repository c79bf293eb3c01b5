using System.Diagnostics;
using McpPlanServer.Core.Diagnostics;

namespace McpPlanServer.Cli.Composition;

/// <summary>
/// Lets the black-box crash tests stop the real executable at a named point: <c>MCPPLAN_FAULT</c> names the points
/// (comma-separated) and <c>MCPPLAN_FAULT_SKIP=N</c> lets the first N hits pass. When a point fires, the process kills
/// itself with SIGKILL on the spot, exactly like <c>kill -9</c>: no finally blocks, no flushing, no cleanup. Read only
/// here, in the composition; without the variable the workflow gets <see cref="NoFaultPoints"/>.
/// </summary>
public sealed class KillingFaultPoints : IFaultPoints
{
    public const string PointsVariable = "MCPPLAN_FAULT";

    public const string SkipVariable = "MCPPLAN_FAULT_SKIP";

    private readonly HashSet<string> points;
    private int skip;

    private KillingFaultPoints(HashSet<string> points, int skip)
    {
        this.points = points;
        this.skip = skip;
    }

    public bool Armed => true;

    /// <summary>The fault points the environment asks for, or none.</summary>
    public static IFaultPoints FromEnvironment()
    {
        var named = (Environment.GetEnvironmentVariable(PointsVariable) ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (named.Length == 0)
        {
            return NoFaultPoints.Instance;
        }

        var skip = int.TryParse(Environment.GetEnvironmentVariable(SkipVariable), out var n) ? n : 0;
        return new KillingFaultPoints(new HashSet<string>(named, StringComparer.Ordinal), skip);
    }

    public void Reached(string point)
    {
        if (!points.Contains(point) || Interlocked.Decrement(ref skip) >= 0)
        {
            return;
        }

        Console.Error.WriteLine($"mcpplan: fault injection '{point}': killing this process (SIGKILL)");
        Console.Error.Flush();

        // Process.Kill sends SIGKILL to the process itself on Unix (TerminateProcess on Windows).
        using var self = Process.GetCurrentProcess();
        self.Kill();
        Thread.Sleep(Timeout.Infinite);
    }
}
