namespace McpPlanServer.Core.Evidence;

/// <summary>How a commit id is shown to people and agents: its first 12 hex digits (shorter ids are shown whole).</summary>
public static class CommitId
{
    public static string Short(string sha) => sha[..Math.Min(12, sha.Length)];
}
