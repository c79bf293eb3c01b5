using McpPlanServer.Core.Diagnostics;

namespace McpPlanServer.Tests.Storage;

/// <summary>
/// The fault points of one test's store, gateway and workflow: <see cref="OnReached"/> observes each point reached,
/// and throws <see cref="SimulatedCrashException"/> to stop a write there. Owned by one test, so tests run side by side.
/// </summary>
internal sealed class FaultProbe : IFaultPoints
{
    public Action<string>? OnReached { get; set; }

    public bool Armed => OnReached is not null;

    /// <summary>Stops the next write that reaches <paramref name="point"/>, as a killed process would.</summary>
    public void CrashAt(string point) => OnReached = reached =>
    {
        if (reached == point)
        {
            throw new SimulatedCrashException(point);
        }
    };

    public void Reached(string point) => OnReached?.Invoke(point);
}
