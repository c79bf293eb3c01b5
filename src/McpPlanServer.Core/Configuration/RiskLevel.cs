using System.Text.Json.Serialization;

namespace McpPlanServer.Core.Configuration;

/// <summary>A plan's <c>**Risk level**</c>, ordered so that a setting can say "at or above".</summary>
public enum RiskLevel
{
    [JsonStringEnumMemberName("Low")]
    Low = 1,

    [JsonStringEnumMemberName("Medium")]
    Medium = 2,

    [JsonStringEnumMemberName("High")]
    High = 3,
}
