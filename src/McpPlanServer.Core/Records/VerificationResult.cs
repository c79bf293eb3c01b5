namespace McpPlanServer.Core.Records;

/// <summary>The outcome of the person's verification command at hand-in.</summary>
public sealed record VerificationResult(
    string Command,
    int? ExitCode,
    bool TimedOut,
    long DurationMs,
    string OutputTail,
    DateTimeOffset At,
    string? HeadSha)
{
    public bool Passed => !TimedOut && ExitCode == 0;
}
