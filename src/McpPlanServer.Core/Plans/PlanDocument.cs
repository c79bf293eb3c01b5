namespace McpPlanServer.Core.Plans;

/// <summary>A plan's markdown parsed into the parts the workflow needs. Line numbers are 1-based in the original text.</summary>
public sealed record PlanDocument(
    string? Title,
    int TitleLine,
    PlanMetadata Metadata,
    IReadOnlyList<PlanSection> Sections,
    IReadOnlyList<PlanStep> Steps,
    IReadOnlyList<SuccessCriterion> SuccessCriteria,
    IReadOnlyList<PlannedFile> PlannedFiles,
    IReadOnlyList<string> Questions,
    IReadOnlyList<string> Risks,
    IReadOnlyList<RejectedPath> RejectedPaths)
{
    /// <summary>True when the plan says its steps may be done in any order (a line <c>**Steps**: independent</c>).</summary>
    public bool StepsIndependent => Metadata.StepsIndependent;

    /// <summary>The items under Security Checklist (checkbox items if any, else every list item), like the criteria.</summary>
    public IReadOnlyList<SuccessCriterion> SecurityChecklist { get; init; } = [];

    /// <summary>The <c>## Acceptance Tests</c> section (command and test files), or null when the plan has none.</summary>
    public AcceptanceSection? AcceptanceTests { get; init; }
}
