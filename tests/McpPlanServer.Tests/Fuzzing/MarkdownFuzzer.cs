using System.Text;

namespace McpPlanServer.Tests.Fuzzing;

/// <summary>Generates and mutates plan-like markdown from a seed: sections, nesting, huge lines, fences, tables, junk.</summary>
public sealed class MarkdownFuzzer(int seed)
{
    private static readonly string[] Headings =
    [
        "# Plan: X", "## Summary", "## Implementation Steps", "## Success Criteria", "## Files to Create", "## Files to Modify",
        "## Risks & Mitigation", "## Questions for Implementer", "### 1. `src/a.cs`", "### ../up.txt", "##", "#", "###### deep",
    ];

    private static readonly string[] Lines =
    [
        "1. **Step** in `src/a.cs`", "- [ ] `dotnet test` exits 0", "- [x] done", "- works", "  - nested", "    - deeper", "```", "```md",
        "| a | b |", "|---|---|", "> quote", "**Risk level**: High", "**Depends on**: a, ../b", "<div>", "[link](", "](", "*", "_", "`",
        "\t", "\r", "", "- [ ]", "1.", "2)", "<!-- comment", "&amp;", "\\", "---", "***",
    ];

    private readonly Random random = new(seed);

    public string Next()
    {
        var text = new StringBuilder();
        var count = random.Next(1, 120);
        for (var i = 0; i < count; i++)
        {
            switch (random.Next(10))
            {
                case 0:
                    text.Append(Headings[random.Next(Headings.Length)]);
                    break;
                case 1:
                    text.Append(new string(' ', random.Next(0, 40))).Append("- ").Append(Word());
                    break;
                case 2:
                    text.Append(new string('x', random.Next(1, random.Next(10) == 0 ? 200_000 : 200)));
                    break;
                case 3:
                    text.Append(string.Concat(Enumerable.Repeat(random.Next(2) == 0 ? "> " : "- ", random.Next(1, 60)))).Append(Word());
                    break;
                case 4:
                    text.Append((char)random.Next(0, 0xD7FF));
                    break;
                default:
                    text.Append(Lines[random.Next(Lines.Length)]).Append(' ').Append(Word());
                    break;
            }

            text.Append(random.Next(8) == 0 ? "\r\n" : "\n");
        }

        return Mutate(text.ToString());
    }

    /// <summary>Bytes that are often not valid UTF-8: the decoder must refuse them cleanly.</summary>
    public byte[] NextBytes()
    {
        var bytes = Encoding.UTF8.GetBytes(Next());
        var corruptions = random.Next(4) == 0 ? random.Next(1, 6) : 0;
        for (var i = 0; i < corruptions && bytes.Length > 0; i++)
        {
            bytes[random.Next(bytes.Length)] = (byte)random.Next(0x80, 0x100);
        }

        return bytes;
    }

    private string Mutate(string text)
    {
        if (text.Length == 0 || random.Next(3) != 0)
        {
            return text;
        }

        var start = random.Next(text.Length);
        var length = random.Next(0, Math.Min(200, text.Length - start));
        return random.Next(3) switch
        {
            0 => text.Remove(start, length),
            1 => text.Insert(start, text.Substring(start, length)),
            _ => text[..start] + "```\n" + text[start..],
        };
    }

    private string Word() => random.Next(6) switch
    {
        0 => "`src/" + random.Next(100) + ".cs`",
        1 => "../" + random.Next(10) + ".txt",
        2 => "works",
        3 => "/abs/path.md",
        _ => "word" + random.Next(1000),
    };
}
