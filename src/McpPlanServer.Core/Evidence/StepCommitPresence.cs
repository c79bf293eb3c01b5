namespace McpPlanServer.Core.Evidence;

/// <summary>
/// Whether a recorded step commit still counts on the branch: it exists, it is reachable from HEAD, and none of the
/// given paths is back at the content it had before the step (a later commit, for example one made from a stale index,
/// undid the step's change there).
/// </summary>
public sealed record StepCommitPresence(string Sha, bool Exists, bool OnBranch, IReadOnlyList<string> RevertedPaths);
