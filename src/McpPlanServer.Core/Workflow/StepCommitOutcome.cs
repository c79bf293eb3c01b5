using McpPlanServer.Core.Evidence;

namespace McpPlanServer.Core.Workflow;

/// <summary>The result of commit_step: the commit, its files, drift, and where the plan stands now.</summary>
public sealed record StepCommitOutcome(LoadedPlan Plan, CommittedStep Commit, IReadOnlyList<string> UnplannedFiles, int? NextStep);
