namespace McpPlanServer.Tests.Storage;

/// <summary>
/// Tests that set the process-wide <c>FaultInjection.OnFault</c> run alone, so no other test's write meets their observer.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultInjectionCollection
{
    public const string Name = "Fault injection (process-wide hook)";
}
