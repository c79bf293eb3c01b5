using System.Globalization;

namespace McpPlanServer.Cli.Commands;

/// <summary>Short human ages: 45s, 12m, 3h, 2d.</summary>
public static class Age
{
    public static string Since(DateTimeOffset then, DateTimeOffset now)
    {
        var span = now - then;
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span.TotalSeconds < 60 ? Format(span.TotalSeconds, "s")
            : span.TotalMinutes < 60 ? Format(span.TotalMinutes, "m")
            : span.TotalHours < 48 ? Format(span.TotalHours, "h")
            : Format(span.TotalDays, "d");
    }

    private static string Format(double value, string unit) => ((int)value).ToString(CultureInfo.InvariantCulture) + unit;
}
