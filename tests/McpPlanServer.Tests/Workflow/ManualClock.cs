namespace McpPlanServer.Tests.Workflow;

/// <summary>A clock the test moves by hand (claim expiry without waiting).</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
