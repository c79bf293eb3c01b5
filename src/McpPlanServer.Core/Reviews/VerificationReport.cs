using McpPlanServer.Core.Evidence;
using System.Globalization;
using System.Text;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Records;

namespace McpPlanServer.Core.Reviews;

/// <summary>
/// The archived form of a completed plan: the source text with the checkboxes of met items ticked in place (the text is
/// edited, never re-rendered, so everything else stays byte for byte) and a "Verification report" section in the shape
/// of the original workflow's report: score per category, criteria n/n, security checklist, the verification and the
/// commit it ran on, open minor suggestions, critical issues.
/// </summary>
public static class VerificationReport
{
    public static string Archive(string text, IReadOnlyList<ChecklistItem> items, PlanRecord record, PlanServerConfig config, DateTimeOffset at)
    {
        var review = record.LastReview;
        var met = review?.Answers.Where(answer => answer.Met).Select(answer => answer.Item).ToHashSet(StringComparer.Ordinal) ?? [];
        var ticked = Tick(text, items.Where(item => met.Contains(item.Id)).Select(item => item.Line));
        var newline = ticked.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var report = Render(record, review, config, at).Replace("\n", newline, StringComparison.Ordinal);
        return ticked.EndsWith('\n') ? ticked + newline + report : ticked + newline + newline + report;
    }

    /// <summary>Replaces the first <c>[ ]</c> on each given 1-based line with <c>[x]</c>; other lines are untouched.</summary>
    public static string Tick(string text, IEnumerable<int> lines)
    {
        var wanted = lines.ToHashSet();
        var result = new StringBuilder(text.Length);
        var lineNumber = 1;
        var start = 0;
        while (start <= text.Length)
        {
            var end = text.IndexOf('\n', start);
            var line = end < 0 ? text[start..] : text[start..(end + 1)];
            if (wanted.Contains(lineNumber))
            {
                var box = line.IndexOf("[ ]", StringComparison.Ordinal);
                if (box >= 0)
                {
                    line = line[..box] + "[x]" + line[(box + 3)..];
                }
            }

            result.Append(line);
            if (end < 0)
            {
                break;
            }

            start = end + 1;
            lineNumber++;
        }

        return result.ToString();
    }

    private static string Render(PlanRecord record, ReviewRecord? review, PlanServerConfig config, DateTimeOffset at)
    {
        var text = new StringBuilder();
        void Line(string value) => text.Append(value).Append('\n');
        Line("## Verification report");
        Line(string.Empty);
        Line($"**Completed**: {at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC");
        if (review is null)
        {
            Line("**Review**: none");
            return text.ToString();
        }

        Line($"**Verified commit**: {Short(review.HeadSha)}");
        Line($"**Review**: round {review.Iteration}, weighted total {review.WeightedTotal.ToString("0.0", CultureInfo.InvariantCulture)} (threshold {review.Threshold})");
        Line(string.Empty);
        Line("| Category | Weight | Score |");
        Line("|---|---|---|");
        foreach (var category in config.Rubric)
        {
            var score = review.Scores.TryGetValue(category.Name, out var value) ? value.ToString(CultureInfo.InvariantCulture) : "–";
            Line($"| {category.Name} | {category.Weight} | {score} |");
        }

        Line(string.Empty);
        var criteria = review.Answers.Where(answer => answer.Item.StartsWith('C')).ToList();
        var security = review.Answers.Where(answer => answer.Item.StartsWith('S')).ToList();
        Line($"- Success criteria met ({criteria.Count(answer => answer.Met)}/{criteria.Count})");
        Line(security.Count == 0
            ? "- Security checklist: none in the plan"
            : security.All(answer => answer.Met)
                ? $"- Security checklist complete ({security.Count}/{security.Count})"
                : $"- Security checklist incomplete ({security.Count(answer => answer.Met)}/{security.Count})");
        Line(record.LastVerification is { } verification
            ? $"- Verification `{verification.Command}` {(verification.Passed ? "passed" : verification.TimedOut ? "timed out" : "failed")} (exit {verification.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}, {verification.DurationMs} ms) on a clean checkout of commit {Short(verification.HeadSha)}"
            : "- Verification: no command configured");
        if (record.LastAcceptance is { } acceptance)
        {
            // issue 20: the plan's own acceptance tests, run by the server with the pinned files.
            Line($"- Acceptance tests: {acceptance.Summary} on {Short(acceptance.Commit)} (`{acceptance.Command}`, exit {acceptance.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}, {acceptance.DurationMs} ms)");
        }

        foreach (var answer in review.Answers)
        {
            Line($"  - {answer.Item} {(answer.Met ? "met" : "not met")}: {answer.Text} — {OneLine(answer.Evidence)}");
        }

        Line(string.Empty);
        var minor = review.Findings.Where(finding => finding.Severity == FindingSeverity.Minor).ToList();
        Line(minor.Count == 0 ? "Minor suggestions: None" : "Minor suggestions:");
        for (var i = 0; i < minor.Count; i++)
        {
            Line($"{i + 1}. {OneLine(minor[i].Message)} ({minor[i].Location})");
        }

        var critical = review.Findings.Where(finding => finding.Severity == FindingSeverity.Critical).ToList();
        Line(string.Empty);
        Line(critical.Count == 0 ? "Critical issues: None" : $"Critical issues: {string.Join("; ", critical.Select(finding => OneLine(finding.Message)))}");
        return text.ToString();
    }

    private static string OneLine(string value) => value.ReplaceLineEndings(" ").Trim();

    private static string Short(string? sha) => sha is null ? "(none)" : CommitId.Short(sha);
}
