namespace McpPlanServer.Core.Metrics;

/// <summary>One bar of a distribution: a label and how many fall in it.</summary>
public sealed record MetricBucket(string Label, int Count);
