using McpPlanServer.Core.Reviews;

namespace McpPlanServer.Core.Workflow;

/// <summary>What the planner submits with submit_review.</summary>
public sealed record ReviewSubmission(
    IReadOnlyDictionary<string, int> Scores,
    IReadOnlyList<FindingInput> Findings,
    string Summary);
