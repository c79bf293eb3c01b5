using McpPlanServer.Core.Lifecycle;

namespace McpPlanServer.Board;

/// <summary>A column of the board: a folder and the sub-statuses it gathers, in the seed's order.</summary>
public sealed record BoardLane(string Key, string Title, PlanFolder Folder, IReadOnlyList<PlanStatus> Statuses)
{
    public static IReadOnlyList<BoardLane> All { get; } =
    [
        new("review", "Review", PlanFolder.Review, [PlanStatus.AwaitingApproval, PlanStatus.ChangesRequested]),
        new("implementing", "Implementing", PlanFolder.Active, [PlanStatus.Implementing]),
        new("blocked", "Blocked", PlanFolder.Active, [PlanStatus.Blocked]),
        new("in-review", "In review", PlanFolder.Active, [PlanStatus.InReview]),
        new("changes-requested", "Changes requested", PlanFolder.Active, [PlanStatus.ChangesRequested]),
        new("verified", "Verified · needs you", PlanFolder.Active, [PlanStatus.Verified, PlanStatus.NeedsHuman]),
        new("completed", "Completed", PlanFolder.Completed, [PlanStatus.Completed, PlanStatus.Abandoned]),
    ];

    public bool Holds(BoardCard card) => card.Summary.Folder == Folder && Statuses.Contains(card.Status);
}
