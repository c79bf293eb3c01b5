namespace McpPlanServer.Core.Workflow;

/// <summary>
/// Resolves the commit id a reviewer passes (the full id or a prefix of at least 7 hex digits, the form the server
/// prints) to one of a plan's step commits; an unknown or ambiguous id is refused instead of matching nothing.
/// </summary>
public static class CommitPrefix
{
    public const int MinimumLength = 7;

    public static string Resolve(string given, IEnumerable<string> stepCommits)
    {
        var prefix = given.Trim().ToLowerInvariant();
        if (prefix.Length < MinimumLength || prefix.Length > 64 || !prefix.All(char.IsAsciiHexDigit))
        {
            throw new PlanRefusedException(RefusalCodes.InvalidCommit, $"Commit '{given}' is not a commit id: pass the full id or a prefix of at least {MinimumLength} hex digits, as review_implementation lists them.");
        }

        var known = stepCommits.Distinct(StringComparer.Ordinal).ToList();
        var matches = known.Where(sha => sha.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new PlanRefusedException(
                RefusalCodes.UnknownCommit,
                known.Count == 0
                    ? $"Commit '{given}' is not a step commit of this plan, and the plan has no step commits yet: call review_implementation without commit."
                    : $"Commit '{given}' is not a step commit of this plan. Its step commits are {string.Join(", ", known.Select(sha => sha[..12]))}."),
            _ => throw new PlanRefusedException(RefusalCodes.AmbiguousCommit, $"Commit '{given}' matches {matches.Count} step commits: pass more digits."),
        };
    }
}
