namespace McpPlanServer.Core.Plans;

/// <summary>A checklist item under Success Criteria.</summary>
public sealed record SuccessCriterion(string Text, bool Checked, int Line);
