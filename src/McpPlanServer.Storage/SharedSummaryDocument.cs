using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Storage;

/// <summary>The body of the shared summary file: what it is valid for (<see cref="SharedSummaryFile.ScopeOf"/>) and the entries.</summary>
public sealed record SharedSummaryDocument(string Scope, IReadOnlyList<SharedSummary> Entries);
