using System.Text;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace McpPlanServer.Core.Plans;

/// <summary>Plain text and code spans out of Markdig's inline tree (emphasis markers dropped, code text kept).</summary>
internal static class MarkdownText
{
    public static string Plain(Inline? inline)
    {
        var text = new StringBuilder();
        Append(inline, text);
        return Collapse(text.ToString());
    }

    public static string Plain(LeafBlock block) => block.Inline is null ? string.Empty : Plain(block.Inline);

    /// <summary>The contents of every inline code span under <paramref name="inline"/>.</summary>
    public static IEnumerable<string> CodeSpans(Inline? inline)
    {
        if (inline is null)
        {
            yield break;
        }

        if (inline is CodeInline code)
        {
            yield return code.Content;
        }

        if (inline is ContainerInline container)
        {
            foreach (var child in container)
            {
                foreach (var span in CodeSpans(child))
                {
                    yield return span;
                }
            }
        }
    }

    private static void Append(Inline? inline, StringBuilder text)
    {
        switch (inline)
        {
            case null:
                return;
            case LiteralInline literal:
                text.Append(literal.Content.ToString());
                break;
            case CodeInline code:
                text.Append(code.Content);
                break;
            case LineBreakInline:
                text.Append(' ');
                break;
            case AutolinkInline autolink:
                text.Append(autolink.Url);
                break;
            case HtmlEntityInline entity:
                text.Append(entity.Transcoded.ToString());
                break;
            case HtmlInline:
                break;
            case ContainerInline container:
                foreach (var child in container)
                {
                    Append(child, text);
                }

                break;
        }
    }

    private static string Collapse(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
