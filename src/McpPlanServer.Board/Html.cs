using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace McpPlanServer.Board;

/// <summary>HTML building: every value from a plan, a record or the journal goes through <see cref="Text"/> (encoded).</summary>
internal sealed class Html
{
    /// <summary>Encodes markup characters and quotes; letters of any script stay readable in the page source.</summary>
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private readonly StringBuilder builder = new(16 * 1024);

    /// <summary>Markup written by the board itself (never data).</summary>
    public Html Raw(string markup)
    {
        builder.Append(markup);
        return this;
    }

    /// <summary>Data: HTML-encoded, including quotes, so it is safe in text and in quoted attributes.</summary>
    public Html Text(string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            builder.Append(Encoder.Encode(value));
        }

        return this;
    }

    public Html Number(double value, string format = "0.0") => Raw(value.ToString(format, CultureInfo.InvariantCulture));

    public Html Number(int value) => Raw(value.ToString(CultureInfo.InvariantCulture));

    public static string Encode(string? value) => string.IsNullOrEmpty(value) ? string.Empty : Encoder.Encode(value);

    public static string Url(string segment) => UrlEncoder.Default.Encode(segment);

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Age(DateTimeOffset since, DateTimeOffset now)
    {
        var age = now - since;
        return age.TotalMinutes < 1 ? $"{Math.Max(0, (int)age.TotalSeconds)}s"
            : age.TotalHours < 1 ? $"{(int)age.TotalMinutes}m"
            : age.TotalDays < 1 ? $"{(int)age.TotalHours}h"
            : $"{(int)age.TotalDays}d";
    }

    public override string ToString() => builder.ToString();
}
