namespace McpPlanServer.Core.Records;

/// <summary>A question the implementer could not resolve alone, and the planner's answer once given.</summary>
public sealed record Blocker(
    int Id,
    int? Step,
    string Question,
    DateTimeOffset RaisedAt,
    string? Answer,
    DateTimeOffset? AnsweredAt)
{
    public bool IsOpen => Answer is null;
}
