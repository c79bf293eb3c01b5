using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace McpPlanServer.Board;

/// <summary>
/// Renders plan text, which an agent wrote and is therefore data: raw HTML is shown as text (<c>DisableHtml</c>), links
/// keep only http, https, relative and <c>#</c> targets (anything else becomes plain text), and images become their alt
/// text (the page loads nothing from elsewhere). No extension that lets text set attributes is enabled.
/// </summary>
internal static class PlanMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseTaskLists()
        .UseEmphasisExtras()
        .DisableHtml()
        .Build();

    public static string ToHtml(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            if (link.IsImage || !IsSafeUrl(link.Url))
            {
                Unwrap(link);
            }
        }

        foreach (var autolink in document.Descendants<AutolinkInline>().ToList())
        {
            if (autolink.IsEmail || !IsSafeUrl(autolink.Url))
            {
                autolink.ReplaceBy(new LiteralInline(autolink.Url));
            }
        }

        return document.ToHtml(Pipeline);
    }

    /// <summary>http and https, a path on this board, or a fragment; control characters and spaces in the scheme
    /// (which browsers strip, as in <c>java&#9;script:</c>) do not hide a scheme.</summary>
    public static bool IsSafeUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return false;
        }

        var compact = new string([.. url.Where(character => character > ' ' && character != '\u007f')]);
        if (compact.StartsWith("//", StringComparison.Ordinal) || compact.StartsWith('\\') || compact.StartsWith("/\\", StringComparison.Ordinal))
        {
            return false;
        }

        var colon = compact.IndexOf(':', StringComparison.Ordinal);
        var boundary = compact.IndexOfAny(['/', '?', '#']);
        if (colon < 0 || (boundary >= 0 && boundary < colon))
        {
            return true;
        }

        var scheme = compact[..colon];
        return scheme.Equals("http", StringComparison.OrdinalIgnoreCase) || scheme.Equals("https", StringComparison.OrdinalIgnoreCase);
    }

    private static void Unwrap(LinkInline link)
    {
        if (link.IsImage)
        {
            link.ReplaceBy(new LiteralInline(string.Concat(link.Descendants<LiteralInline>().Select(literal => literal.Content.ToString()))));
            return;
        }

        // Keep the link's text, drop the target.
        while (link.FirstChild is { } child)
        {
            child.Remove();
            link.InsertBefore(child);
        }

        link.Remove();
    }
}
