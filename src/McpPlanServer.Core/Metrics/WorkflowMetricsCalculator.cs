using McpPlanServer.Core.Records;

namespace McpPlanServer.Core.Metrics;

/// <summary>Computes <see cref="WorkflowMetrics"/> from plan records alone (no git, no plan text).</summary>
public static class WorkflowMetricsCalculator
{
    /// <summary>Score bands: the seed's "needs adjustment" line is 80, its "working" line is above 90.</summary>
    private static readonly (string Label, double Below)[] ScoreBands =
        [("< 70", 70), ("70–79", 80), ("80–89", 90), ("90–94", 95), ("95–100", double.PositiveInfinity)];

    public static WorkflowMetrics Compute(IEnumerable<PlanRecord> records, DateTimeOffset now)
    {
        var plans = records.ToList();
        var reviewed = plans.Where(plan => plan.Reviews.Count > 0).ToList();
        var scores = plans.SelectMany(plan => plan.Reviews).Select(review => review.WeightedTotal).ToList();

        var scoreBuckets = ScoreBands
            .Select((band, index) => new MetricBucket(
                band.Label,
                scores.Count(score => score < band.Below && (index == 0 || score >= ScoreBands[index - 1].Below))))
            .ToList();

        double? firstPass = reviewed.Count == 0
            ? null
            : reviewed.Count(plan => plan.Reviews[0].Verdict == ReviewVerdict.Verified) / (double)reviewed.Count;

        var iterations = new List<MetricBucket>
        {
            new("1", reviewed.Count(plan => plan.Reviews.Count == 1)),
            new("2", reviewed.Count(plan => plan.Reviews.Count == 2)),
            new("3", reviewed.Count(plan => plan.Reviews.Count == 3)),
            new("4+", reviewed.Count(plan => plan.Reviews.Count >= 4)),
        };

        return new WorkflowMetrics(
            plans.Count,
            reviewed.Count,
            scores.Count,
            scoreBuckets,
            WorkflowMetrics.Median(scores),
            firstPass,
            iterations,
            plans.Select(ApprovalToVerified).OfType<PlanMeasure>().ToList(),
            plans.Where(plan => plan.Blockers.Count > 0).Select(plan => new PlanMeasure(plan.Id, BlockedHours(plan, now))).ToList(),
            plans.Where(plan => plan.Steps.Any(step => step.Commits.Count > 0)).Select(plan => new PlanMeasure(plan.Id, UnplannedFiles(plan))).ToList(),
            plans.Select(VerifiedToIntegrated).OfType<PlanMeasure>().ToList());
    }

    /// <summary>From the first approval to the first review that verified the implementation.</summary>
    private static PlanMeasure? ApprovalToVerified(PlanRecord plan)
    {
        var approvedAt = plan.Timeline.FirstOrDefault(entry => entry.Event == "approve")?.At ?? plan.Approval?.At;
        var verified = plan.Reviews.FirstOrDefault(review => review.Verdict == ReviewVerdict.Verified);
        if (approvedAt is not { } start || verified is null || verified.At < start)
        {
            return null;
        }

        return new PlanMeasure(plan.Id, (verified.At - start).TotalHours);
    }

    /// <summary>From the review that verified the integrated commit to the completion that recorded the integration.</summary>
    private static PlanMeasure? VerifiedToIntegrated(PlanRecord plan)
    {
        var integratedAt = plan.IntegratedCommit is null ? null : plan.Timeline.LastOrDefault(entry => entry.Event == "complete")?.At;
        var verified = plan.Reviews.LastOrDefault(review => review.Verdict == ReviewVerdict.Verified);
        if (integratedAt is not { } end || verified is null || end < verified.At)
        {
            return null;
        }

        return new PlanMeasure(plan.Id, (end - verified.At).TotalHours);
    }

    /// <summary>Every blocker from raised to answered; an open blocker counts until now.</summary>
    private static double BlockedHours(PlanRecord plan, DateTimeOffset now) =>
        plan.Blockers.Sum(blocker => ((blocker.AnsweredAt ?? now) - blocker.RaisedAt).TotalHours);

    /// <summary>Distinct files the plan's step commits touched that the plan did not list.</summary>
    private static double UnplannedFiles(PlanRecord plan) =>
        plan.Steps.SelectMany(step => step.Commits).SelectMany(commit => commit.UnplannedFiles).Distinct(StringComparer.Ordinal).Count();
}
