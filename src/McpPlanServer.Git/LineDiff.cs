using System.Globalization;
using System.Text;

namespace McpPlanServer.Git;

/// <summary>
/// A unified diff of two texts with our own Myers diff (LibGit2Sharp's patch API is not safe under Native AOT).
/// Inputs over <see cref="MaxLines"/> lines are summarized instead of diffed, keeping time and memory bounded.
/// </summary>
internal static class LineDiff
{
    public const int MaxLines = 20_000;
    private const int Context = 3;
    private const string NoNewlineMarker = "\n\\ No newline at end of file";

    public static (int Added, int Deleted) Count(string[] oldLines, string[] newLines)
    {
        var script = Script(oldLines, newLines);
        return script is null ? (newLines.Length, oldLines.Length) : (script.Count(op => op.Kind == '+'), script.Count(op => op.Kind == '-'));
    }

    public static void AppendUnified(StringBuilder output, string path, string[] oldLines, string[] newLines, bool added, bool deleted)
    {
        output.Append(CultureInfo.InvariantCulture, $"diff --git a/{path} b/{path}\n");
        output.Append(added ? "--- /dev/null\n" : $"--- a/{path}\n");
        output.Append(deleted ? "+++ /dev/null\n" : $"+++ b/{path}\n");
        var script = Script(oldLines, newLines);
        if (script is null)
        {
            output.Append(CultureInfo.InvariantCulture, $"@@ too large to diff here: {oldLines.Length} -> {newLines.Length} lines @@\n");
            return;
        }

        var index = 0;
        while (index < script.Count)
        {
            while (index < script.Count && script[index].Kind == ' ')
            {
                index++;
            }

            if (index >= script.Count)
            {
                break;
            }

            var start = Math.Max(0, index - Context);
            var end = index;
            var lastChange = index;
            while (end < script.Count && (script[end].Kind != ' ' || end - lastChange <= Context * 2))
            {
                if (script[end].Kind != ' ')
                {
                    lastChange = end;
                }

                end++;
            }

            end = Math.Min(script.Count, lastChange + Context + 1);
            var hunk = script.GetRange(start, end - start);
            var oldStart = hunk[0].OldIndex + 1;
            var newStart = hunk[0].NewIndex + 1;
            var oldCount = hunk.Count(op => op.Kind != '+');
            var newCount = hunk.Count(op => op.Kind != '-');
            output.Append(CultureInfo.InvariantCulture, $"@@ -{(oldCount == 0 ? oldStart - 1 : oldStart)},{oldCount} +{(newCount == 0 ? newStart - 1 : newStart)},{newCount} @@\n");
            foreach (var op in hunk)
            {
                output.Append(op.Kind).Append(op.Kind == '+' ? newLines[op.NewIndex] : oldLines[op.OldIndex]).Append('\n');
            }

            index = end;
        }
    }

    /// <summary>
    /// The lines of a text. A last line without a newline carries git's "\ No newline at end of file" marker, so adding
    /// or removing the final newline is a visible change (as in git) rather than an empty diff of a modified file.
    /// </summary>
    public static string[] Lines(string text)
    {
        if (text.Length == 0)
        {
            return [];
        }

        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        if (text.EndsWith('\n'))
        {
            return lines[..^1];
        }

        lines[^1] += NoNewlineMarker;
        return lines;
    }

    /// <summary>The edit script: ' ' keep, '-' delete, '+' insert, with positions in both texts. Null when too large.</summary>
    private static List<(char Kind, int OldIndex, int NewIndex)>? Script(string[] a, string[] b)
    {
        if (a.Length > MaxLines || b.Length > MaxLines)
        {
            return null;
        }

        // Trim the common prefix and suffix: most edits are local, which keeps Myers' D small.
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[^(suffix + 1)] == b[^(suffix + 1)])
        {
            suffix++;
        }

        var middle = Myers(a[prefix..(a.Length - suffix)], b[prefix..(b.Length - suffix)]);
        if (middle is null)
        {
            return null;
        }

        var script = new List<(char, int, int)>(a.Length + b.Length);
        for (var i = 0; i < prefix; i++)
        {
            script.Add((' ', i, i));
        }

        foreach (var (kind, oldIndex, newIndex) in middle)
        {
            script.Add((kind, oldIndex + prefix, newIndex + prefix));
        }

        for (var i = 0; i < suffix; i++)
        {
            script.Add((' ', a.Length - suffix + i, b.Length - suffix + i));
        }

        return script;
    }

    private static List<(char Kind, int OldIndex, int NewIndex)>? Myers(string[] a, string[] b)
    {
        int n = a.Length, m = b.Length, max = n + m;
        if (max == 0)
        {
            return [];
        }

        const int MaxEdits = 4_000;
        var limit = Math.Min(max, MaxEdits);
        var v = new int[(2 * limit) + 2];
        var trace = new List<int[]>();
        for (var d = 0; d <= limit; d++)
        {
            trace.Add((int[])v.Clone());
            for (var k = -d; k <= d; k += 2)
            {
                var x = k == -d || (k != d && v[k - 1 + limit] < v[k + 1 + limit]) ? v[k + 1 + limit] : v[k - 1 + limit] + 1;
                var y = x - k;
                while (x < n && y < m && a[x] == b[y])
                {
                    x++;
                    y++;
                }

                v[k + limit] = x;
                if (x >= n && y >= m)
                {
                    return Backtrack(trace, a, b, limit, d);
                }
            }
        }

        // More than MaxEdits edits: report the files as replaced rather than spend quadratic time.
        var replaced = new List<(char, int, int)>();
        replaced.AddRange(Enumerable.Range(0, n).Select(i => ('-', i, 0)));
        replaced.AddRange(Enumerable.Range(0, m).Select(j => ('+', n, j)));
        return replaced;
    }

    private static List<(char Kind, int OldIndex, int NewIndex)> Backtrack(List<int[]> trace, string[] a, string[] b, int offset, int depth)
    {
        var script = new List<(char, int, int)>();
        int x = a.Length, y = b.Length;
        for (var d = depth; d > 0; d--)
        {
            var v = trace[d];
            var k = x - y;
            var previousK = k == -d || (k != d && v[k - 1 + offset] < v[k + 1 + offset]) ? k + 1 : k - 1;
            var previousX = v[previousK + offset];
            var previousY = previousX - previousK;
            while (x > previousX && y > previousY)
            {
                script.Add((' ', --x, --y));
            }

            if (x == previousX)
            {
                script.Add(('+', x, --y));
            }
            else
            {
                script.Add(('-', --x, y));
            }
        }

        while (x > 0 && y > 0)
        {
            script.Add((' ', --x, --y));
        }

        script.Reverse();
        return script;
    }
}
