using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Reviews;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Tests.Domain;

public sealed class ReviewScorerTests
{
    private static readonly PlanServerConfig Config = new();

    private static Dictionary<string, int> Scores(int architecture, int quality, int testing, int performance, int security) => new()
    {
        ["architecture"] = architecture,
        ["code_quality"] = quality,
        ["testing"] = testing,
        ["performance"] = performance,
        ["security"] = security,
    };

    [Fact]
    public void Weighted_total_uses_the_default_weights()
    {
        // (100*25 + 80*20 + 90*25 + 70*15 + 60*15) / 100 = 83.0
        var outcome = ReviewScorer.Score(Scores(100, 80, 90, 70, 60), [], Config, 1);
        Assert.Equal(83.0, outcome.WeightedTotal);
        Assert.Equal(ReviewVerdict.ChangesRequested, outcome.Verdict);
    }

    [Fact]
    public void At_the_threshold_verifies()
    {
        var outcome = ReviewScorer.Score(Scores(90, 90, 90, 90, 90), [], Config, 1);
        Assert.Equal(90.0, outcome.WeightedTotal);
        Assert.Equal(ReviewVerdict.Verified, outcome.Verdict);
    }

    [Fact]
    public void A_critical_finding_requests_changes_whatever_the_score()
    {
        var outcome = ReviewScorer.Score(Scores(100, 100, 100, 100, 100), [new FindingInput(FindingSeverity.Critical, "src/a.cs:3", "SQL injection")], Config, 1);
        Assert.Equal(ReviewVerdict.ChangesRequested, outcome.Verdict);
        Assert.Contains("critical", outcome.Reason);
    }

    [Fact]
    public void Minor_findings_do_not_block_a_passing_score() =>
        Assert.Equal(ReviewVerdict.Verified, ReviewScorer.Score(Scores(95, 95, 95, 95, 95), [new FindingInput(FindingSeverity.Minor, "a", "b")], Config, 1).Verdict);

    [Fact]
    public void A_failing_round_at_max_iterations_goes_to_the_person()
    {
        Assert.Equal(ReviewVerdict.ChangesRequested, ReviewScorer.Score(Scores(50, 50, 50, 50, 50), [], Config, 2).Verdict);
        Assert.Equal(ReviewVerdict.NeedsHuman, ReviewScorer.Score(Scores(50, 50, 50, 50, 50), [], Config, 3).Verdict);
    }

    [Fact]
    public void Refuses_missing_unknown_and_out_of_range_scores()
    {
        var missing = Scores(90, 90, 90, 90, 90);
        missing.Remove("security");
        Assert.Contains("security", Assert.Throws<PlanRefusedException>(() => ReviewScorer.Score(missing, [], Config, 1)).Message);

        var unknown = Scores(90, 90, 90, 90, 90);
        unknown["vibes"] = 100;
        Assert.Contains("vibes", Assert.Throws<PlanRefusedException>(() => ReviewScorer.Score(unknown, [], Config, 1)).Message);

        Assert.Contains("0-100", Assert.Throws<PlanRefusedException>(() => ReviewScorer.Score(Scores(101, 90, 90, 90, 90), [], Config, 1)).Message);
        Assert.Contains("0-100", Assert.Throws<PlanRefusedException>(() => ReviewScorer.Score(Scores(-1, 90, 90, 90, 90), [], Config, 1)).Message);
    }

    [Fact]
    public void Custom_rubric_and_threshold_apply()
    {
        var config = new PlanServerConfig { Rubric = [new RubricCategory("correctness", 3), new RubricCategory("style", 1)], Threshold = 75 };
        var outcome = ReviewScorer.Score(new Dictionary<string, int> { ["correctness"] = 80, ["style"] = 60 }, [], config, 1);
        Assert.Equal(75.0, outcome.WeightedTotal);
        Assert.Equal(ReviewVerdict.Verified, outcome.Verdict);
    }
}
