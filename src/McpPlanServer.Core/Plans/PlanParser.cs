using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Extensions.TaskLists;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Core.Plans;

/// <summary>
/// Parses a plan written in the template's shape into a <see cref="PlanDocument"/>. It walks Markdig's syntax tree,
/// so a <c>## </c> inside a code fence is not a section, and it never throws on malformed markdown: whatever
/// is missing is simply absent from the model, for the linter to report.
/// </summary>
public static partial class PlanParser
{
    private static readonly MarkdownPipeline Pipeline = BuildPipeline();

    public static PlanDocument Parse(string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        MarkdownDocument document;
        try
        {
            document = Markdown.Parse(text, Pipeline);
        }
        catch (ArgumentException error)
        {
            // Markdig's own guard against pathological nesting (thousands of nested lists or quotes).
            throw new Workflow.PlanRefusedException(
                RefusalCodes.PlanTooDeeplyNested,
                $"The plan's markdown is nested too deeply to read ({error.Message.TrimEnd('.')}). Flatten the nested lists or quotes.");
        }

        var lineCount = CountLines(text);
        var rejected = new List<RejectedPath>();

        string? title = null;
        var titleLine = 0;
        var preamble = new List<Block>();
        var sections = new List<(PlanSection Section, List<Block> Blocks)>();
        foreach (var block in document)
        {
            if (block is HeadingBlock { Level: 1 } h1 && title is null && sections.Count == 0)
            {
                title = TitleOf(MarkdownText.Plain(h1));
                titleLine = h1.Line + 1;
                continue;
            }

            if (block is HeadingBlock { Level: 2 } h2)
            {
                var heading = MarkdownText.Plain(h2);
                if (sections.Count > 0)
                {
                    var previous = sections[^1];
                    sections[^1] = (previous.Section with { EndLine = h2.Line }, previous.Blocks);
                }

                sections.Add((new PlanSection(heading, SectionKey(heading), h2.Line + 1, lineCount), []));
                continue;
            }

            if (sections.Count == 0)
            {
                preamble.Add(block);
            }
            else
            {
                sections[^1].Blocks.Add(block);
            }
        }

        List<Block> Blocks(string key) => sections.FirstOrDefault(section => section.Section.Key.StartsWith(key, StringComparison.Ordinal)).Blocks ?? [];

        var steps = ParseSteps(Blocks("implementation steps"), rejected);
        var criteria = ParseCriteria(Blocks("success criteria"));
        var planned = new List<PlannedFile>();
        planned.AddRange(ParsePlannedFiles(Blocks("files to create"), PlannedFileKind.Create, rejected));
        planned.AddRange(ParsePlannedFiles(Blocks("files to modify"), PlannedFileKind.Modify, rejected));

        return new PlanDocument(
            title,
            titleLine,
            ParseMetadata(text, preamble),
            [.. sections.Select(section => section.Section)],
            steps,
            criteria,
            planned.DistinctBy(file => file.Path).ToList(),
            [.. ListItems(Blocks("questions for implementer")).Select(item => item.Text)],
            ParseRisks(Blocks("risks and mitigation")),
            rejected)
        {
            SecurityChecklist = ParseCriteria(Blocks("security checklist")),
            AcceptanceTests = AcceptanceSectionParser.Parse(
                text,
                sections.Select(section => section.Section).FirstOrDefault(section => section.Key.StartsWith(AcceptanceSectionParser.SectionKey, StringComparison.Ordinal)),
                Blocks(AcceptanceSectionParser.SectionKey),
                rejected),
        };
    }

    /// <summary>
    /// Task lists and pipe tables, and no link parser: plans need no links, and Markdig's link parsing is quadratic on
    /// repeated unclosed links (80 KB of "[a](" took 4.6 s), which would let one plan stall a server call.
    /// </summary>
    private static MarkdownPipeline BuildPipeline()
    {
        var builder = new MarkdownPipelineBuilder().UsePipeTables();
        builder.InlineParsers.TryRemove<Markdig.Parsers.Inlines.LinkInlineParser>();

        // UseTaskLists() would insert its parser before the link parser, which is gone: add it directly.
        builder.InlineParsers.Insert(0, new TaskListInlineParser());
        return builder.Build();
    }

    /// <summary>Lowercase words only: "Risks &amp; Mitigation" → "risks and mitigation"; "(Sequential)" and similar asides dropped.</summary>
    public static string SectionKey(string heading)
    {
        var withoutAsides = Asides().Replace(heading, " ").Replace("&", " and ", StringComparison.Ordinal);
        var text = new StringBuilder();
        foreach (var c in withoutAsides.ToLowerInvariant())
        {
            text.Append(char.IsLetterOrDigit(c) ? c : ' ');
        }

        return string.Join(' ', text.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    private static string TitleOf(string heading)
    {
        var match = TitlePrefix().Match(heading);
        return (match.Success ? heading[match.Length..] : heading).Trim();
    }

    private static PlanMetadata ParseMetadata(string text, List<Block> preamble)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var block in preamble.OfType<ParagraphBlock>())
        {
            var source = text.Substring(block.Span.Start, Math.Min(block.Span.Length, text.Length - block.Span.Start));
            foreach (var line in source.Split('\n'))
            {
                var match = MetadataLine().Match(line.Trim());
                if (match.Success)
                {
                    values.TryAdd(SectionKey(match.Groups["key"].Value), match.Groups["value"].Value.Trim());
                }
            }
        }

        string? Value(string key) => values.TryGetValue(key, out var value) && value.Length > 0 ? value : null;
        var dependsOn = Value("depends on") is { } depends
            ? depends.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries).Select(id => id.Trim('`')).Where(id => id.Length > 0 && !id.Equals("none", StringComparison.OrdinalIgnoreCase)).ToList()
            : [];
        return new PlanMetadata(
            Value("created"),
            Value("author"),
            Value("estimated effort"),
            Value("risk level"),
            dependsOn,
            Value("steps") is { } steps && steps.Contains("independent", StringComparison.OrdinalIgnoreCase));
    }

    private static List<PlanStep> ParseSteps(List<Block> blocks, List<RejectedPath> rejected)
    {
        var list = blocks.OfType<ListBlock>().FirstOrDefault(candidate => candidate.IsOrdered) ?? blocks.OfType<ListBlock>().FirstOrDefault();
        if (list is null)
        {
            return [];
        }

        var steps = new List<PlanStep>();
        foreach (var item in list.OfType<ListItemBlock>())
        {
            var first = item.OfType<ParagraphBlock>().FirstOrDefault();
            var title = first is null ? string.Empty : MarkdownText.Plain(first);
            var subItems = new List<string>();
            foreach (var child in item)
            {
                if (child == first)
                {
                    continue;
                }

                if (child is ListBlock nested)
                {
                    subItems.AddRange(ListItems([nested]).Select(entry => entry.Text));
                }
                else if (child is ParagraphBlock paragraph)
                {
                    subItems.Add(MarkdownText.Plain(paragraph));
                }
            }

            var mentioned = new List<string>();
            foreach (var leaf in Descendants(item).OfType<LeafBlock>())
            {
                if (leaf is FencedCodeBlock or CodeBlock)
                {
                    continue;
                }

                foreach (var span in MarkdownText.CodeSpans(leaf.Inline))
                {
                    AddPaths(PathMentions.Candidates(span, fromCodeSpan: true), leaf.Line + 1, mentioned, rejected);
                }

                AddPaths(PathMentions.Candidates(LiteralText(leaf.Inline), fromCodeSpan: false), leaf.Line + 1, mentioned, rejected);
            }

            steps.Add(new PlanStep(steps.Count + 1, title, subItems, mentioned.Distinct(StringComparer.Ordinal).ToList(), item.Line + 1));
        }

        return steps;
    }

    private static List<SuccessCriterion> ParseCriteria(List<Block> blocks)
    {
        var items = ListItems(blocks.OfType<ListBlock>()).ToList();
        var tasks = items.Where(item => item.Task is not null).ToList();
        return (tasks.Count > 0 ? tasks : items)
            .Where(item => item.Text.Length > 0)
            .Select(item => new SuccessCriterion(item.Text, item.Task?.Checked ?? false, item.Line))
            .ToList();
    }

    private static List<PlannedFile> ParsePlannedFiles(List<Block> blocks, PlannedFileKind kind, List<RejectedPath> rejected)
    {
        var headings = blocks.OfType<HeadingBlock>().Where(heading => heading.Level >= 3).ToList();
        var files = new List<PlannedFile>();
        if (headings.Count > 0)
        {
            foreach (var heading in headings)
            {
                var token = Numbering().Replace(MarkdownText.Plain(heading), string.Empty).Trim().Split(' ', 2)[0].Trim('`', '*', ':');
                // A heading under Files to Create/Modify names a file: an absolute or climbing path there is an error, not prose.
                if (token.Length > 0 && (PathMentions.LooksLikePath(token, fromCodeSpan: true) || token.StartsWith("..", StringComparison.Ordinal) || token.StartsWith('/') || token.StartsWith('~')))
                {
                    AddPlanned(token, heading.Line + 1);
                }
            }
        }
        else
        {
            // No "### path" headings: take the first path named by each top-level list item.
            foreach (var list in blocks.OfType<ListBlock>())
            {
                foreach (var item in list.OfType<ListItemBlock>())
                {
                    var first = item.OfType<ParagraphBlock>().FirstOrDefault();
                    if (first is null)
                    {
                        continue;
                    }

                    var candidate = MarkdownText.CodeSpans(first.Inline).SelectMany(span => PathMentions.Candidates(span, fromCodeSpan: true)).FirstOrDefault()
                        ?? PathMentions.Candidates(LiteralText(first.Inline), fromCodeSpan: false).FirstOrDefault();
                    if (candidate is not null)
                    {
                        AddPlanned(candidate, item.Line + 1);
                    }
                }
            }
        }

        return files;

        void AddPlanned(string token, int line)
        {
            if (PathMentions.Normalize(token, line, rejected) is { } path)
            {
                files.Add(new PlannedFile(path, kind, line));
            }
        }
    }

    private static List<string> ParseRisks(List<Block> blocks)
    {
        var risks = new List<string>();
        foreach (var table in blocks.OfType<Table>())
        {
            foreach (var row in table.OfType<TableRow>().Where(row => !row.IsHeader))
            {
                if (row.FirstOrDefault() is TableCell { Count: > 0 } cell && cell[0] is ParagraphBlock paragraph)
                {
                    var text = MarkdownText.Plain(paragraph);
                    if (text.Length > 0)
                    {
                        risks.Add(text);
                    }
                }
            }
        }

        risks.AddRange(ListItems(blocks.OfType<ListBlock>()).Select(item => item.Text));
        return risks;
    }

    /// <summary>Every list item, nested ones included, in document order, with its task-list marker if any.</summary>
    private static IEnumerable<(string Text, TaskList? Task, int Line)> ListItems(IEnumerable<ListBlock> lists)
    {
        foreach (var list in lists)
        {
            foreach (var item in list.OfType<ListItemBlock>())
            {
                var first = item.OfType<ParagraphBlock>().FirstOrDefault();
                if (first is not null)
                {
                    var task = first.Inline?.FirstChild as TaskList;
                    yield return (MarkdownText.Plain(first), task, item.Line + 1);
                }

                foreach (var nested in ListItems(item.OfType<ListBlock>()))
                {
                    yield return nested;
                }
            }
        }
    }

    private static IEnumerable<(string Text, TaskList? Task, int Line)> ListItems(List<Block> blocks) => ListItems(blocks.OfType<ListBlock>());

    private static IEnumerable<Block> Descendants(ContainerBlock container)
    {
        foreach (var block in container)
        {
            yield return block;
            if (block is ContainerBlock inner)
            {
                foreach (var descendant in Descendants(inner))
                {
                    yield return descendant;
                }
            }
        }
    }

    /// <summary>Literal text only (code spans excluded, they are read separately as whole tokens).</summary>
    private static string LiteralText(Inline? inline)
    {
        var text = new StringBuilder();
        void Walk(Inline? node)
        {
            switch (node)
            {
                case LiteralInline literal:
                    text.Append(literal.Content.ToString());
                    break;
                case LineBreakInline or CodeInline:
                    text.Append(' ');
                    break;
                case ContainerInline container:
                    foreach (var child in container)
                    {
                        Walk(child);
                    }

                    break;
            }
        }

        Walk(inline);
        return text.ToString();
    }

    private static void AddPaths(IEnumerable<string> candidates, int line, List<string> paths, List<RejectedPath> rejected)
    {
        // Absolute tokens in step prose are routes or system paths the step talks about, not files it plans.
        foreach (var candidate in candidates.Where(candidate => !candidate.StartsWith('/') && !candidate.StartsWith('~')))
        {
            if (PathMentions.Normalize(candidate, line, rejected) is { } path)
            {
                paths.Add(path);
            }
        }
    }

    private static int CountLines(string text)
    {
        var lines = 1;
        foreach (var c in text)
        {
            if (c == '\n')
            {
                lines++;
            }
        }

        return lines;
    }

    [GeneratedRegex(@"\([^)]*\)")]
    private static partial Regex Asides();

    [GeneratedRegex(@"^\s*plan\s*:\s*", RegexOptions.IgnoreCase)]
    private static partial Regex TitlePrefix();

    [GeneratedRegex(@"^\*\*\s*(?<key>[^*:]+?)\s*:?\s*\*\*\s*:?\s*(?<value>.*?)\s*$")]
    private static partial Regex MetadataLine();

    [GeneratedRegex(@"^\s*\d+[.)]\s*")]
    private static partial Regex Numbering();
}
