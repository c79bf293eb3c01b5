using McpPlanServer.Tests.Support;

[assembly: AssemblyFixture(typeof(PostgresClusterShutdown))]

namespace McpPlanServer.Tests.Support;

/// <summary>
/// Stops the shared PostgreSQL cluster when the assembly's tests end. xUnit v3 disposes assembly fixtures inside the run;
/// a process-exit handler ran after the run's end instead and made xUnit v3 report a fatal <c>TestPipelineException</c>.
/// </summary>
public sealed class PostgresClusterShutdown : IDisposable
{
    public void Dispose() => PostgresCluster.StopShared();
}
