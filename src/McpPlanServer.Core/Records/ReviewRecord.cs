namespace McpPlanServer.Core.Records;

/// <summary>One review round: scores per rubric category, the weighted total and the verdict it led to.</summary>
public sealed record ReviewRecord(
    int Iteration,
    DateTimeOffset At,
    IReadOnlyDictionary<string, int> Scores,
    double WeightedTotal,
    int Threshold,
    ReviewVerdict Verdict,
    IReadOnlyList<Finding> Findings,
    string Summary,
    string? HeadSha)
{
    /// <summary>One answer per success criterion and security-checklist item of the plan.</summary>
    public IReadOnlyList<ChecklistAnswer> Answers { get; init; } = [];
}
