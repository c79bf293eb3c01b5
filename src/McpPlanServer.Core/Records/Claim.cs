namespace McpPlanServer.Core.Records;

/// <summary>
/// One implementer session's lease on one plan. <see cref="Fence"/> comes from a counter that only grows, so a holder
/// whose lease expired and was taken over can never pass for the live one; every step commit carries it (<c>Plan-Claim</c>).
/// </summary>
public sealed record Claim(
    string PlanId,
    long Fence,
    string SessionId,
    int ProcessId,
    string Host,
    string Worktree,
    DateTimeOffset ClaimedAt,
    DateTimeOffset RenewedAt);
