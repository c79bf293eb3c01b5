using System.Text;
using McpPlanServer.Git;

namespace McpPlanServer.Tests.Git;

/// <summary>The own Myers diff behind review diffs and line counts.</summary>
public sealed class LineDiffTests
{
    private const string Header = "diff --git a/f.txt b/f.txt\n--- a/f.txt\n+++ b/f.txt\n";

    [Fact]
    public void Identical_texts_have_no_hunks_and_no_counts()
    {
        var lines = LineDiff.Lines("a\nb\nc\n");

        Assert.Equal(Header, Unified(lines, lines));
        Assert.Equal((0, 0), LineDiff.Count(lines, lines));
    }

    [Fact]
    public void Two_empty_texts_have_no_hunks() =>
        Assert.Equal(Header, Unified([], []));

    [Fact]
    public void An_insert_in_the_middle_is_one_added_line_with_context()
    {
        var before = Numbered(1, 10);
        var after = before.Take(5).Append("new").Concat(before.Skip(5)).ToArray();

        Assert.Equal(Header + "@@ -3,6 +3,7 @@\n 3\n 4\n 5\n+new\n 6\n 7\n 8\n", Unified(before, after));
        Assert.Equal((1, 0), LineDiff.Count(before, after));
    }

    [Fact]
    public void A_delete_in_the_middle_is_one_removed_line_with_context()
    {
        var before = Numbered(1, 10);
        var after = before.Where(line => line != "5").ToArray();

        Assert.Equal(Header + "@@ -2,7 +2,6 @@\n 2\n 3\n 4\n-5\n 6\n 7\n 8\n", Unified(before, after));
        Assert.Equal((0, 1), LineDiff.Count(before, after));
    }

    [Fact]
    public void A_replacement_in_the_middle_removes_then_adds()
    {
        var before = Numbered(1, 10);
        var after = before.Select(line => line == "5" ? "five" : line).ToArray();

        Assert.Equal(Header + "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n", Unified(before, after));
        Assert.Equal((1, 1), LineDiff.Count(before, after));
    }

    [Fact]
    public void Changes_far_apart_make_separate_hunks()
    {
        var before = Numbered(1, 30);
        var after = before.Select(line => line is "2" or "25" ? line + "!" : line).ToArray();

        var text = Unified(before, after);

        Assert.Equal(2, text.Split('\n').Count(line => line.StartsWith("@@", StringComparison.Ordinal)));
        Assert.Contains("@@ -1,5 +1,5 @@\n 1\n-2\n+2!\n 3\n", text, StringComparison.Ordinal);
        Assert.Contains("@@ -22,7 +22,7 @@\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Inputs_over_MaxLines_are_summarized_and_counted_as_replaced()
    {
        var before = Numbered(1, LineDiff.MaxLines + 1);
        var after = Numbered(1, 3);

        Assert.Equal(Header + $"@@ too large to diff here: {LineDiff.MaxLines + 1} -> 3 lines @@\n", Unified(before, after));
        Assert.Equal((3, LineDiff.MaxLines + 1), LineDiff.Count(before, after));
    }

    [Fact]
    public void A_missing_final_newline_is_a_change_as_git_shows_it()
    {
        var before = LineDiff.Lines("a\nb");
        var after = LineDiff.Lines("a\nb\n");

        Assert.Equal(Header + "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n", Unified(before, after));
        Assert.Equal((1, 1), LineDiff.Count(before, after));
    }

    [Fact]
    public void Lines_splits_on_newlines_without_a_trailing_empty_line()
    {
        Assert.Empty(LineDiff.Lines(string.Empty));
        Assert.Equal(["a", "b"], LineDiff.Lines("a\nb\n"));
        Assert.Equal(["a", string.Empty, "b"], LineDiff.Lines("a\n\nb\n"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Random_edits_apply_back_to_the_new_text_with_minimal_counts(int seed)
    {
        var random = new Random(seed);
        var before = Enumerable.Range(0, random.Next(0, 60)).Select(_ => ((char)('a' + random.Next(0, 4))).ToString()).ToArray();
        var after = before.Where(_ => random.Next(0, 5) != 0)
            .SelectMany(line => random.Next(0, 5) == 0 ? new[] { line, ((char)('a' + random.Next(0, 4))).ToString() } : [line])
            .ToArray();

        var text = Unified(before, after);
        var (added, deleted) = LineDiff.Count(before, after);

        Assert.Equal(after, Apply(before, text));
        Assert.Equal(after.Length - before.Length, added - deleted);
        Assert.Equal(before.Length + after.Length - (2 * LongestCommonSubsequence(before, after)), added + deleted);
    }

    private static string[] Numbered(int from, int to) =>
        Enumerable.Range(from, to - from + 1).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    private static string Unified(string[] before, string[] after)
    {
        var output = new StringBuilder();
        LineDiff.AppendUnified(output, "f.txt", before, after, added: false, deleted: false);
        return output.ToString();
    }

    /// <summary>Applies a unified diff to the old lines, checking every context and removed line on the way.</summary>
    private static string[] Apply(string[] before, string diff)
    {
        var result = new List<string>();
        var position = 0;
        foreach (var line in diff.Split('\n').Skip(3).Where(line => line.Length > 0))
        {
            if (line.StartsWith("@@", StringComparison.Ordinal))
            {
                var oldRange = line.Split(' ')[1].TrimStart('-').Split(',');
                var oldStart = int.Parse(oldRange[0], System.Globalization.CultureInfo.InvariantCulture);
                var copyTo = oldRange[1] == "0" ? oldStart : oldStart - 1;
                while (position < copyTo)
                {
                    result.Add(before[position++]);
                }

                continue;
            }

            var content = line[1..];
            switch (line[0])
            {
                case ' ':
                    Assert.Equal(before[position++], content);
                    result.Add(content);
                    break;
                case '-':
                    Assert.Equal(before[position++], content);
                    break;
                case '+':
                    result.Add(content);
                    break;
                default:
                    Assert.Fail($"unexpected diff line '{line}'");
                    break;
            }
        }

        while (position < before.Length)
        {
            result.Add(before[position++]);
        }

        return [.. result];
    }

    private static int LongestCommonSubsequence(string[] a, string[] b)
    {
        var table = new int[a.Length + 1, b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                table[i, j] = a[i - 1] == b[j - 1] ? table[i - 1, j - 1] + 1 : Math.Max(table[i - 1, j], table[i, j - 1]);
            }
        }

        return table[a.Length, b.Length];
    }
}
