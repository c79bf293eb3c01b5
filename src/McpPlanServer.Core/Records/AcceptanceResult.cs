namespace McpPlanServer.Core.Records;

/// <summary>
/// One run of a plan's acceptance command by the server: on a clean checkout of <see cref="Commit"/> with the pinned test
/// files laid over it, so an edited copy on the branch is never what runs.
/// </summary>
public sealed record AcceptanceResult(
    string Command,
    string? Commit,
    int? ExitCode,
    bool TimedOut,
    long DurationMs,
    string OutputTail,
    DateTimeOffset At,
    TestCounts? Counts)
{
    /// <summary>The exit code decides; counts only describe (a runner may exit 0 with no test run, which the counts show).</summary>
    public bool Passed => !TimedOut && ExitCode == 0;

    /// <summary>"15/15 passed", "14/15 passed, 1 failed", or the exit code when the runner reported no counts.</summary>
    public string Summary => Counts is { } counts
        ? $"{counts.Passed}/{counts.Total} passed" + (counts.Failed > 0 ? $", {counts.Failed} failed" : string.Empty) + (counts.Skipped > 0 ? $", {counts.Skipped} skipped" : string.Empty)
        : TimedOut ? "timed out" : Passed ? "passed (exit 0, no counts reported)" : $"failed (exit {ExitCode})";
}
