using System.Text.Json.Serialization;

namespace McpPlanServer.Core.Configuration;

/// <summary>What two approved or active plans that list the same file may do.</summary>
public enum ParallelPolicy
{
    /// <summary>Warn at the second approval and in list_plans; both may be claimed (a claim without an id still skips the overlap).</summary>
    [JsonStringEnumMemberName("warn")]
    Warn,

    /// <summary>Refuse a claim on a plan that shares a file with a plan someone holds, until that plan is integrated.</summary>
    [JsonStringEnumMemberName("strict")]
    Strict,
}
