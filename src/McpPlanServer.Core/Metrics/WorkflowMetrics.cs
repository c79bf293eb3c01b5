namespace McpPlanServer.Core.Metrics;

/// <summary>
/// The first seed's success metrics, computed from the plans' records: review scores (target above 90), first-pass
/// rate and iterations per plan (target 0–2), time from approval to verified, time blocked, drift per plan, and time
/// from verified to integrated (the person's integration; the seed's target is under 15 minutes).
/// </summary>
public sealed record WorkflowMetrics(
    int Plans,
    int ReviewedPlans,
    int Reviews,
    IReadOnlyList<MetricBucket> ScoreDistribution,
    double? MedianScore,
    double? FirstPassRate,
    IReadOnlyList<MetricBucket> IterationsPerPlan,
    IReadOnlyList<PlanMeasure> HoursApprovalToVerified,
    IReadOnlyList<PlanMeasure> HoursBlocked,
    IReadOnlyList<PlanMeasure> UnplannedFilesPerPlan,
    IReadOnlyList<PlanMeasure> HoursVerifiedToIntegrated)
{
    public static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return null;
        }

        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
