namespace McpPlanServer.Core.Records;

/// <summary>The person's approval, bound to the exact text approved: any later change to the text voids it.</summary>
public sealed record Approval(
    string TextSha256,
    int TextRevision,
    string Approver,
    DateTimeOffset At,
    string? BaseCommit,
    string Channel);
