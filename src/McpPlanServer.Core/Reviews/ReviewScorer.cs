using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Core.Reviews;

/// <summary>
/// Scores a review on the configured rubric. Every category must be scored 0–100; the weighted total is
/// Σ(score × weight) / Σweight, rounded to one decimal. A total at or above the threshold verifies, unless a
/// critical finding is open; a failing round at or past <c>maxIterations</c> goes to the person.
/// </summary>
public static class ReviewScorer
{
    public static ReviewOutcome Score(
        IReadOnlyDictionary<string, int> scores,
        IReadOnlyList<FindingInput> findings,
        PlanServerConfig config,
        int iteration,
        IReadOnlyList<string>? unmetItems = null)
    {
        var rubric = config.Rubric;
        ReviewProblem.ThrowIfAny(ScoreProblems(scores, rubric));

        var totalWeight = rubric.Sum(category => category.Weight);
        var weighted = rubric.Sum(category => (double)scores[category.Name] * category.Weight) / totalWeight;
        var total = Math.Round(weighted, 1, MidpointRounding.AwayFromZero);

        var criticals = findings.Count(finding => finding.Severity == FindingSeverity.Critical);
        var unmet = unmetItems ?? [];
        var passes = total >= config.Threshold && criticals == 0 && unmet.Count == 0;
        if (passes)
        {
            return new ReviewOutcome(total, ReviewVerdict.Verified, $"{total} ≥ threshold {config.Threshold}, every criterion met and no critical finding.");
        }

        var why = criticals > 0
            ? $"{criticals} critical finding(s) request changes whatever the score ({total})."
            : unmet.Count > 0
                ? $"{string.Join(", ", unmet)} not met: changes are requested whatever the score ({total})."
                : $"{total} is below the threshold {config.Threshold}.";
        return iteration >= config.MaxIterations
            ? new ReviewOutcome(total, ReviewVerdict.NeedsHuman, $"{why} This was round {iteration} of {config.MaxIterations}: the owner decides now.")
            : new ReviewOutcome(total, ReviewVerdict.ChangesRequested, why);
    }

    /// <summary>Every problem with the scores at once: unknown categories, missing ones, and values outside 0-100.</summary>
    public static List<ReviewProblem> ScoreProblems(IReadOnlyDictionary<string, int> scores, IReadOnlyList<RubricCategory> rubric)
    {
        var problems = new List<ReviewProblem>();
        var unknown = scores.Keys.Where(key => !rubric.Any(category => category.Name == key)).ToList();
        if (unknown.Count > 0)
        {
            problems.Add(new(RefusalCodes.InvalidScores, $"Unknown rubric categories: {string.Join(", ", unknown)}. Score exactly these: {RubricList(rubric)}."));
        }

        var missing = rubric.Where(category => !scores.ContainsKey(category.Name)).Select(category => category.Name).ToList();
        if (missing.Count > 0)
        {
            problems.Add(new(RefusalCodes.InvalidScores, $"Missing scores for: {string.Join(", ", missing)}. Score every category 0-100: {RubricList(rubric)}."));
        }

        var outOfRange = scores.Where(pair => pair.Value is < 0 or > 100).Select(pair => $"{pair.Key}={pair.Value}").ToList();
        if (outOfRange.Count > 0)
        {
            problems.Add(new(RefusalCodes.InvalidScores, $"Scores must be 0-100; got {string.Join(", ", outOfRange)}."));
        }

        return problems;
    }

    private static string RubricList(IReadOnlyList<RubricCategory> rubric) =>
        string.Join(", ", rubric.Select(category => $"{category.Name} (weight {category.Weight})"));
}
