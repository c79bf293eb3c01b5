namespace McpPlanServer.Core.Records;

/// <summary>The reviewer's answer for one success criterion (C1…) or security-checklist item (S1…): met or not, and the
/// evidence (a test name, a command and its output, a commit, a file and line).</summary>
public sealed record ChecklistAnswer(string Item, string Text, bool Met, string Evidence);
