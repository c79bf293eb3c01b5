using McpPlanServer.Core.Reviews;

namespace McpPlanServer.Core.Workflow;

/// <summary>What the planner submits with submit_review.</summary>
public sealed record ReviewSubmission(
    IReadOnlyDictionary<string, int> Scores,
    IReadOnlyList<FindingInput> Findings,
    string Summary)
{
    /// <summary>One answer per success criterion (C1…) and security-checklist item (S1…); the text is filled in from the plan.</summary>
    public IReadOnlyList<Records.ChecklistAnswer> Answers { get; init; } = [];
}
