using McpPlanServer.Core.Evidence;
using System.Globalization;
using System.Text;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Records;

namespace McpPlanServer.Core.Reviews;

/// <summary>Renders a review as markdown for people, kept beside the record (the record stays the source of truth).</summary>
public static class ReviewMarkdown
{
    public static string Render(string planId, ReviewRecord review, ReviewOutcome outcome, PlanServerConfig config)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# Review {review.Iteration} of {planId}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"**Date**: {review.At:yyyy-MM-dd HH:mm} UTC\n");
        text.Append(CultureInfo.InvariantCulture, $"**Verdict**: {Verdict(review.Verdict)} ({outcome.Reason})\n");
        text.Append(CultureInfo.InvariantCulture, $"**Weighted total**: {review.WeightedTotal:0.0} (threshold {review.Threshold})\n");
        if (review.HeadSha is { } head)
        {
            text.Append(CultureInfo.InvariantCulture, $"**Reviewed commit**: {CommitId.Short(head)}\n");
        }

        text.Append("\n## Scores\n\n| Category | Weight | Score |\n|---|---|---|\n");
        foreach (var category in config.Rubric)
        {
            var score = review.Scores.TryGetValue(category.Name, out var value) ? value.ToString(CultureInfo.InvariantCulture) : "–";
            text.Append(CultureInfo.InvariantCulture, $"| {category.Name} | {category.Weight} | {score} |\n");
        }

        if (review.Answers.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n## Criteria ({review.Answers.Count(answer => answer.Met)}/{review.Answers.Count} met)\n\n");
            foreach (var answer in review.Answers)
            {
                text.Append(CultureInfo.InvariantCulture, $"- **{answer.Item}** {(answer.Met ? "met" : "NOT MET")}: {answer.Text} — {answer.Evidence}\n");
            }
        }

        text.Append("\n## Findings\n\n");
        if (review.Findings.Count == 0)
        {
            text.Append("None.\n");
        }

        foreach (var finding in review.Findings)
        {
            text.Append(CultureInfo.InvariantCulture, $"- **{finding.Id}** [{finding.Severity.ToString().ToLowerInvariant()}] `{finding.Location}`: {finding.Message}\n");
        }

        text.Append("\n## Summary\n\n").Append(review.Summary.Trim()).Append('\n');
        return text.ToString();
    }

    private static string Verdict(ReviewVerdict verdict) => verdict switch
    {
        ReviewVerdict.Verified => "verified",
        ReviewVerdict.NeedsHuman => "needs_human",
        _ => "changes_requested",
    };
}
