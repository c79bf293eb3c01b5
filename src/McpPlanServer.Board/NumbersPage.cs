using System.Globalization;
using McpPlanServer.Core.Metrics;

namespace McpPlanServer.Board;

/// <summary>The first seed's success metrics per repository, as figures and inline SVG charts.</summary>
internal static class NumbersPage
{
    public static string Render(IReadOnlyList<(BoardRepository Repository, WorkflowMetrics Metrics)> repositories)
    {
        var body = new Html();
        body.Raw("<h1>Numbers</h1><p class=\"muted\">From the plans' records. The first seed's bar: review scores above 90, 0–2 iterations per task, the person integrating in under 15 minutes.</p>");
        foreach (var (repository, metrics) in repositories)
        {
            body.Raw("<section class=\"repo numbers\" data-repo=\"").Text(repository.Key).Raw("\"><h2>").Text(repository.Name).Raw("</h2>")
                .Raw("<div class=\"tiles\">")
                .Raw(Tile("plans", metrics.Plans.ToString(CultureInfo.InvariantCulture)))
                .Raw(Tile("reviews", metrics.Reviews.ToString(CultureInfo.InvariantCulture)))
                .Raw(Tile("median score", metrics.MedianScore is { } median ? median.ToString("0.0", CultureInfo.InvariantCulture) : "–"))
                .Raw(Tile("first-pass rate", metrics.FirstPassRate is { } rate ? rate.ToString("0%", CultureInfo.InvariantCulture) : "–"))
                .Raw(Tile("median approval → verified", WorkflowMetrics.Median(metrics.HoursApprovalToVerified.Select(measure => measure.Value)) is { } hours ? SvgChart.Duration(hours) : "–"))
                .Raw("</div><div class=\"charts\">")
                .Raw(Chart("Review scores", "every review round; the target is above 90", SvgChart.Bars(metrics.ScoreDistribution, "reviews", band => band < 2 ? "bad" : band == 2 ? "warn" : "good")))
                .Raw(Chart("Iterations per plan", "review rounds until verified or now", SvgChart.Bars(metrics.IterationsPerPlan, "plans", rounds => rounds < 2 ? "good" : rounds == 2 ? "warn" : "bad")))
                .Raw(Chart("Approval → verified", "hours from the first approval to the first passing review", SvgChart.PerPlan(metrics.HoursApprovalToVerified, SvgChart.Duration)))
                .Raw(Chart("Blocked time", "hours between a blocker and its answer (open ones until now)", SvgChart.PerPlan(metrics.HoursBlocked, SvgChart.Duration)))
                .Raw(Chart("Drift", "files step commits touched that the plan did not list", SvgChart.PerPlan(metrics.UnplannedFilesPerPlan, files => string.Create(CultureInfo.InvariantCulture, $"{files:0} files"))))
                .Raw(Chart("Verified → integrated", "hours from the passing review to the person's integration (target: under 15 minutes)", SvgChart.PerPlan(metrics.HoursVerifiedToIntegrated, SvgChart.Duration)))
                .Raw("</div></section>");
        }

        return PageLayout.Render("Numbers", "numbers", body.ToString());
    }

    private static string Tile(string label, string value) =>
        $"<div class=\"tile\"><div class=\"tile-value\">{Html.Encode(value)}</div><div class=\"tile-label\">{Html.Encode(label)}</div></div>";

    private static string Chart(string title, string caption, string svg) =>
        $"<figure class=\"panel\"><h3>{Html.Encode(title)}</h3><figcaption>{Html.Encode(caption)}</figcaption>{svg}</figure>";
}
