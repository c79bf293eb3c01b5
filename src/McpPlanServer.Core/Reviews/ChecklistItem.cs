namespace McpPlanServer.Core.Reviews;

/// <summary>A line the reviewer must answer: success criterion C1… or security-checklist item S1…, with its source line.</summary>
public sealed record ChecklistItem(string Id, string Text, int Line);
