namespace McpPlanServer.Core.Records;

/// <summary>A commit made through commit_step, with the files it touched and any drift from the plan.</summary>
public sealed record StepCommit(
    string Sha,
    string Message,
    DateTimeOffset At,
    IReadOnlyList<string> Files,
    IReadOnlyList<string> UnplannedFiles,
    string? DeviationReason,
    IReadOnlyList<string> AddressesFindings)
{
    /// <summary>True when git's index could not be updated after the branch moved (another process held
    /// <c>index.lock</c>): a commit made from that stale index would undo this step, so every later check looks.</summary>
    public bool IndexStale { get; init; }

    /// <summary>The <c>Plan-Approval</c> trailer: the prefix of the approved text's SHA-256 in force when committed.</summary>
    public string? Approval { get; init; }
}
