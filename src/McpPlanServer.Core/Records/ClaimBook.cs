namespace McpPlanServer.Core.Records;

/// <summary>Every claim of the store and the last fencing number handed out (kept when claims end, so it only grows).</summary>
public sealed record ClaimBook(long LastFence, IReadOnlyList<Claim> Claims)
{
    public static ClaimBook Empty { get; } = new(0, []);
}
