using System.Globalization;
using McpPlanServer.Core.Metrics;

namespace McpPlanServer.Board;

/// <summary>Bar charts as inline SVG (no script, no external asset): a distribution, or one bar per plan.</summary>
internal static class SvgChart
{
    private const int Width = 560;
    private const int BarHeight = 22;
    private const int LabelWidth = 150;

    /// <summary>A distribution; <paramref name="tone"/> names a colour class per bar (good, warn, bad) or null.</summary>
    public static string Bars(IReadOnlyList<MetricBucket> buckets, string unit, Func<int, string?>? tone = null) =>
        Horizontal([.. buckets.Select((bucket, index) => (bucket.Label, (double)bucket.Count, tone?.Invoke(index)))], value => string.Create(CultureInfo.InvariantCulture, $"{value:0} {unit}"));

    /// <summary>One bar per plan, largest first, at most <paramref name="limit"/> plans.</summary>
    public static string PerPlan(IReadOnlyList<PlanMeasure> measures, Func<double, string> figure, int limit = 20) =>
        Horizontal([.. measures.OrderByDescending(measure => measure.Value).Take(limit).Select(measure => (measure.PlanId, measure.Value, (string?)null))], figure);

    /// <summary>Hours as a person reads them: minutes under an hour, days from two days on.</summary>
    public static string Duration(double hours) =>
        hours < 1 ? string.Create(CultureInfo.InvariantCulture, $"{hours * 60:0} min")
        : hours < 48 ? string.Create(CultureInfo.InvariantCulture, $"{hours:0.0} h")
        : string.Create(CultureInfo.InvariantCulture, $"{hours / 24:0.0} d");

    private static string Horizontal(IReadOnlyList<(string Label, double Value, string? Tone)> rows, Func<double, string> figure)
    {
        if (rows.Count == 0)
        {
            return "<p class=\"muted\">No data yet.</p>";
        }

        var max = Math.Max(rows.Max(row => row.Value), 1e-9);
        var height = rows.Count * (BarHeight + 6);
        var svg = new Html();
        svg.Raw(string.Create(CultureInfo.InvariantCulture, $"<svg class=\"chart\" role=\"img\" viewBox=\"0 0 {Width} {height}\" width=\"{Width}\" height=\"{height}\">"));
        for (var index = 0; index < rows.Count; index++)
        {
            var (label, value, tone) = rows[index];
            var y = index * (BarHeight + 6);
            var length = (Width - LabelWidth - 90) * value / max;
            svg.Raw(string.Create(CultureInfo.InvariantCulture, $"<text class=\"label\" x=\"{LabelWidth - 8}\" y=\"{y + 15}\" text-anchor=\"end\">"))
                .Text(label.Length > 22 ? label[..21] + "…" : label).Raw("</text>")
                .Raw(string.Create(CultureInfo.InvariantCulture, $"<rect class=\"value{(tone is null ? string.Empty : " " + tone)}\" x=\"{LabelWidth}\" y=\"{y}\" width=\"{Math.Max(length, value > 0 ? 2 : 0):0.#}\" height=\"{BarHeight}\" rx=\"3\"/>"))
                .Raw(string.Create(CultureInfo.InvariantCulture, $"<text class=\"figure\" x=\"{LabelWidth + length + 6:0.#}\" y=\"{y + 15}\">"))
                .Text(figure(value)).Raw("</text>");
        }

        return svg.Raw("</svg>").ToString();
    }
}
