namespace McpPlanServer.Core.Records;

/// <summary>A commit made through commit_step, with the files it touched and any drift from the plan.</summary>
public sealed record StepCommit(
    string Sha,
    string Message,
    DateTimeOffset At,
    IReadOnlyList<string> Files,
    IReadOnlyList<string> UnplannedFiles,
    string? DeviationReason,
    IReadOnlyList<string> AddressesFindings);
