namespace McpPlanServer.Core.Acceptance;

/// <summary>What <c>write_acceptance_file</c> did: the set's new revision, the file's hash, the hash the person will
/// approve, and the files the section names that are still unwritten.</summary>
public sealed record WriteAcceptanceResult(string PlanId, string Path, long Revision, string Sha256, string ApprovalSha256, IReadOnlyList<string> Missing, bool Unchanged);
