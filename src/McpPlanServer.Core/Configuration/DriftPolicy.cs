using System.Text.Json.Serialization;

namespace McpPlanServer.Core.Configuration;

/// <summary>What happens when a step commit touches files the plan did not list.</summary>
public enum DriftPolicy
{
    /// <summary>Record the unplanned files and let the commit through.</summary>
    [JsonStringEnumMemberName("warn")]
    Warn,

    /// <summary>Refuse the commit unless the implementer declares the deviation with a reason.</summary>
    [JsonStringEnumMemberName("block")]
    Block,
}
