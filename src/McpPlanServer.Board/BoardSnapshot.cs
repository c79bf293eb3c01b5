namespace McpPlanServer.Board;

/// <summary>A repository's plans as the board shows them, built once per change (the page model).</summary>
public sealed record BoardSnapshot(long Version, IReadOnlyList<BoardCard> Cards, DateTimeOffset BuiltAt)
{
    public IReadOnlyList<BoardCard> In(BoardLane lane) => [.. Cards.Where(lane.Holds)];
}
