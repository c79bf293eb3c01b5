namespace McpPlanServer.Bench;

/// <summary>One claim of the team bench as the client timed it (on the bench's clock), and whether it was granted.</summary>
public sealed record TeamClaim(TimeSpan Started, TimeSpan Answered, bool Granted)
{
    public double Milliseconds => (Answered - Started).TotalMilliseconds;
}
