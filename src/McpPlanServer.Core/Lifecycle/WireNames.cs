namespace McpPlanServer.Core.Lifecycle;

/// <summary>snake_case names for states and statuses as they appear in tool results, records and the CLI.</summary>
public static class WireNames
{
    public static string ToWireName(this PlanStatus status) => status switch
    {
        PlanStatus.AwaitingApproval => "awaiting_approval",
        PlanStatus.ChangesRequested => "changes_requested",
        PlanStatus.Implementing => "implementing",
        PlanStatus.Blocked => "blocked",
        PlanStatus.InReview => "in_review",
        PlanStatus.Verified => "verified",
        PlanStatus.NeedsHuman => "needs_human",
        PlanStatus.Completed => "completed",
        PlanStatus.Abandoned => "abandoned",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static string ToWireName(this PlanFolder folder) => folder switch
    {
        PlanFolder.Review => "review",
        PlanFolder.Active => "active",
        PlanFolder.Completed => "completed",
        _ => throw new ArgumentOutOfRangeException(nameof(folder)),
    };

    public static bool TryParseFolder(string? value, out PlanFolder folder)
    {
        foreach (var candidate in Enum.GetValues<PlanFolder>())
        {
            if (string.Equals(candidate.ToWireName(), value, StringComparison.OrdinalIgnoreCase))
            {
                folder = candidate;
                return true;
            }
        }

        folder = default;
        return false;
    }
}
