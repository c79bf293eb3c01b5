namespace McpPlanServer.Core.Workflow;

/// <summary>
/// A file or folder in the plans root that cannot be used (a link, a corrupt record, a plan in two folders): what is
/// wrong and how to repair it. The plan it belongs to (if any) is refused for changes; everything else keeps working.
/// </summary>
/// <param name="Path">Relative to the repository, with forward slashes.</param>
/// <param name="PlanId">The plan the file belongs to, or null for a file of the whole store.</param>
/// <param name="Code">The refusal code a change would get.</param>
/// <param name="Message">What is wrong and how to repair it.</param>
public sealed record BadFile(string Path, string? PlanId, string Code, string Message);
