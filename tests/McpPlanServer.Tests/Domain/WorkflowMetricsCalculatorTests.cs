using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Metrics;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Tests.Domain;

public sealed class WorkflowMetricsCalculatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static PlanRecord Plan(string id, params (double Score, ReviewVerdict Verdict, double HoursAfterApproval)[] reviews) => new()
    {
        Id = id,
        TextSha256 = "abc",
        Folder = PlanFolder.Active,
        Approval = new Approval("abc", 1, "person", T0, null, "cli"),
        Timeline = [new TimelineEntry(T0, "owner", "approve", null)],
        Reviews = [.. reviews.Select((review, index) => new ReviewRecord(index + 1, T0.AddHours(review.HoursAfterApproval), new Dictionary<string, int>(), review.Score, 90, review.Verdict, [], "s", null))],
    };

    [Fact]
    public void Scores_first_pass_rate_and_iterations_come_from_the_reviews()
    {
        var metrics = WorkflowMetricsCalculator.Compute(
            [
                Plan("a", (95, ReviewVerdict.Verified, 2)),
                Plan("b", (72, ReviewVerdict.ChangesRequested, 1), (91, ReviewVerdict.Verified, 5)),
                Plan("c", (85, ReviewVerdict.ChangesRequested, 1), (88, ReviewVerdict.ChangesRequested, 2), (89, ReviewVerdict.ChangesRequested, 3), (60, ReviewVerdict.NeedsHuman, 4)),
                Plan("d"),
            ],
            T0.AddDays(1));

        Assert.Equal(4, metrics.Plans);
        Assert.Equal(3, metrics.ReviewedPlans);
        Assert.Equal(7, metrics.Reviews);
        Assert.Equal([1, 1, 3, 1, 1], metrics.ScoreDistribution.Select(bucket => bucket.Count));
        Assert.Equal(1 / 3.0, metrics.FirstPassRate!.Value, 6);
        Assert.Equal([1, 1, 0, 1], metrics.IterationsPerPlan.Select(bucket => bucket.Count));
        Assert.Equal(88, metrics.MedianScore);
        Assert.Equal([("a", 2.0), ("b", 5.0)], metrics.HoursApprovalToVerified.Select(measure => (measure.PlanId, measure.Value)));
    }

    [Fact]
    public void Verified_to_integrated_runs_from_the_passing_review_to_the_completion_that_recorded_the_integration()
    {
        var integrated = Plan("i", (72, ReviewVerdict.ChangesRequested, 1), (93, ReviewVerdict.Verified, 3)) with
        {
            IntegratedCommit = "abc123",
            Timeline = [new TimelineEntry(T0, "owner", "approve", null), new TimelineEntry(T0.AddHours(3.25), "owner", "complete", null)],
        };
        // Completed without integration (mcpplan complete) and verified but not yet integrated: no measure.
        var completedByHand = Plan("c", (95, ReviewVerdict.Verified, 2)) with { Timeline = [new TimelineEntry(T0.AddHours(4), "owner", "complete", null)] };
        var waiting = Plan("w", (95, ReviewVerdict.Verified, 2));

        var metrics = WorkflowMetricsCalculator.Compute([integrated, completedByHand, waiting], T0.AddDays(1));
        var measure = Assert.Single(metrics.HoursVerifiedToIntegrated);
        Assert.Equal("i", measure.PlanId);
        Assert.Equal(0.25, measure.Value, 6);
    }

    [Fact]
    public void Blocked_time_counts_open_blockers_until_now_and_drift_counts_distinct_unplanned_files()
    {
        var now = T0.AddHours(10);
        var commit = (string file) => new StepCommit("sha", "m", T0, [file], [file], null, []);
        var plan = new PlanRecord
        {
            Id = "x",
            TextSha256 = "abc",
            Blockers = [new Blocker(1, 1, "q", T0, "a", T0.AddHours(2)), new Blocker(2, null, "q2", T0.AddHours(7), null, null)],
            Steps = [new StepProgress(1, "one", true, [commit("extra.txt"), commit("extra.txt")]), new StepProgress(2, "two", true, [commit("other.txt")])],
        };

        var metrics = WorkflowMetricsCalculator.Compute([plan], now);
        Assert.Equal(5.0, Assert.Single(metrics.HoursBlocked).Value, 6);
        Assert.Equal(2.0, Assert.Single(metrics.UnplannedFilesPerPlan).Value);
        Assert.Null(metrics.FirstPassRate);
        Assert.Empty(metrics.HoursApprovalToVerified);
    }

    [Fact]
    public void A_plan_is_ready_when_every_dependency_is_completed()
    {
        var statuses = new Dictionary<string, PlanStatus> { ["done"] = PlanStatus.Completed, ["dropped"] = PlanStatus.Abandoned, ["busy"] = PlanStatus.Implementing };
        Assert.True(PlanReadiness.Evaluate(["done"], statuses).Ready);
        Assert.True(PlanReadiness.Evaluate([], statuses).Ready);
        var waiting = PlanReadiness.Evaluate(["done", "busy", "dropped", "ghost"], statuses);
        Assert.False(waiting.Ready);
        Assert.Equal(["busy (implementing)", "dropped (abandoned)", "ghost (no such plan)"], waiting.WaitingFor);
    }
}
