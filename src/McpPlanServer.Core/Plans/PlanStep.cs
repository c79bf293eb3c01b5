namespace McpPlanServer.Core.Plans;

/// <summary>One item of the ordered list under Implementation Steps; <see cref="Number"/> is its 1-based position.</summary>
public sealed record PlanStep(
    int Number,
    string Title,
    IReadOnlyList<string> SubItems,
    IReadOnlyList<string> MentionedPaths,
    int Line);
