namespace McpPlanServer.Core.Plans;

/// <summary>
/// A plan's <c>## Acceptance Tests</c> section: the command that runs the tests and the test files it names. The files'
/// content is not in the text; the planner writes it with <c>write_acceptance_file</c> and the approval covers both.
/// </summary>
public sealed record AcceptanceSection(string? Command, int Line, IReadOnlyList<AcceptancePath> Files);
