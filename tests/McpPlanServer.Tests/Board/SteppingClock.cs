namespace McpPlanServer.Tests.Board;

/// <summary>A clock that moves forward a fixed step each time it is read, so a fixture's records span hours and days
/// (as real work does) and the numbers page has durations to show.</summary>
internal sealed class SteppingClock(DateTimeOffset start, TimeSpan step) : TimeProvider
{
    private long reads;

    public override DateTimeOffset GetUtcNow() => start + (step * Interlocked.Increment(ref reads));
}
