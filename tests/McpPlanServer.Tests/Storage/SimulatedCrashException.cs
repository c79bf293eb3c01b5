namespace McpPlanServer.Tests.Storage;

/// <summary>
/// Thrown from a fault observer to stop a write on the spot. It is neither an IOException nor an
/// UnauthorizedAccessException, so no cleanup handler of the storage code runs: the state left is a killed writer's.
/// </summary>
public sealed class SimulatedCrashException(string point) : Exception($"simulated crash at {point}")
{
    public string Point { get; } = point;
}
