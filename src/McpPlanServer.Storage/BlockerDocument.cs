using McpPlanServer.Core.Records;

namespace McpPlanServer.Storage;

/// <summary>A blocker as stored: open is derived from whether it has an answer.</summary>
internal sealed class BlockerDocument
{
    public int Id { get; set; }

    public int? Step { get; set; }

    public string Question { get; set; } = string.Empty;

    public DateTimeOffset RaisedAt { get; set; }

    public string? Answer { get; set; }

    public DateTimeOffset? AnsweredAt { get; set; }

    public Blocker ToBlocker() => new(Id, Step, Question, RaisedAt, Answer, AnsweredAt);

    public static BlockerDocument From(Blocker blocker) => new()
    {
        Id = blocker.Id,
        Step = blocker.Step,
        Question = blocker.Question,
        RaisedAt = blocker.RaisedAt,
        Answer = blocker.Answer,
        AnsweredAt = blocker.AnsweredAt,
    };
}
