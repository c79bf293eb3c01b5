using McpPlanServer.Core.Records;

namespace McpPlanServer.Core.Reviews;

/// <summary>The scored review: weighted total, verdict and the reason for it.</summary>
public sealed record ReviewOutcome(double WeightedTotal, ReviewVerdict Verdict, string Reason);
