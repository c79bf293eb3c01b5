using System.Text.RegularExpressions;
using Markdig.Syntax;

namespace McpPlanServer.Core.Plans;

/// <summary>
/// Reads the <c>## Acceptance Tests</c> section: a line <c>**Command**: `...`</c> and a list whose items each name one
/// test file (the first path of the item, in a code span or as plain text). Invalid paths go to the plan's rejected
/// paths, so the linter reports them like any other path that cannot be a repository file.
/// </summary>
internal static partial class AcceptanceSectionParser
{
    public const string SectionKey = "acceptance tests";

    public static AcceptanceSection? Parse(string text, PlanSection? section, IReadOnlyList<Block> blocks, List<RejectedPath> rejected)
    {
        if (section is null)
        {
            return null;
        }

        string? command = null;
        foreach (var paragraph in blocks.OfType<ParagraphBlock>())
        {
            var start = Math.Min(paragraph.Span.Start, text.Length);
            var source = text.Substring(start, Math.Min(paragraph.Span.Length, text.Length - start));
            foreach (var line in source.Split('\n'))
            {
                var match = CommandLine().Match(line.Trim());
                if (match.Success && command is null)
                {
                    var value = match.Groups["value"].Value.Trim();
                    command = value.Length > 1 && value[0] == '`' && value[^1] == '`' ? value.Trim('`').Trim() : value;
                }
            }
        }

        var files = new List<AcceptancePath>();
        foreach (var list in blocks.OfType<ListBlock>())
        {
            foreach (var item in list.OfType<ListItemBlock>())
            {
                if (item.OfType<ParagraphBlock>().FirstOrDefault() is not { } first)
                {
                    continue;
                }

                var candidate = MarkdownText.CodeSpans(first.Inline).FirstOrDefault(span => !span.Contains(' ', StringComparison.Ordinal))
                    ?? PathMentions.Candidates(MarkdownText.Plain(first), fromCodeSpan: false).FirstOrDefault();
                if (candidate is not null && PathMentions.Normalize(candidate, item.Line + 1, rejected) is { } path)
                {
                    files.Add(new AcceptancePath(path, item.Line + 1));
                }
            }
        }

        return new AcceptanceSection(string.IsNullOrWhiteSpace(command) ? null : command, section.Line, files);
    }

    [GeneratedRegex(@"^\*\*\s*(run\s+)?command\s*:?\s*\*\*\s*:?\s*(?<value>.*?)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex CommandLine();
}
