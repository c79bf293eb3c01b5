namespace McpPlanServer.Core.Workflow;

/// <summary>A computed integration: <see cref="ResultSha"/> exists as a git object, no branch points at it yet.</summary>
public sealed record IntegrationCandidate(string TargetBranch, string TargetTip, string ResultSha, bool FastForward);
