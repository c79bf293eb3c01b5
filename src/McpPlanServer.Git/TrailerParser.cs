using System.Text.RegularExpressions;

namespace McpPlanServer.Git;

/// <summary>Reads git trailers (<c>Key: value</c> lines in the last paragraph of a commit message).</summary>
internal static partial class TrailerParser
{
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Parse(string message)
    {
        var paragraphs = message.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd().Split("\n\n");
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        if (paragraphs.Length < 2)
        {
            return result;
        }

        var lines = paragraphs[^1].Split('\n');
        if (!lines.All(line => Trailer().IsMatch(line)))
        {
            return result;
        }

        foreach (var line in lines)
        {
            var match = Trailer().Match(line);
            var key = match.Groups["key"].Value;
            var values = result.TryGetValue(key, out var existing) ? [.. existing] : new List<string>();
            values.Add(match.Groups["value"].Value.Trim());
            result[key] = values;
        }

        return result;
    }

    public static bool StartsLikeTrailer(string line, string key) =>
        line.TrimStart().StartsWith(key + ":", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"^(?<key>[A-Za-z0-9][A-Za-z0-9-]*):\s*(?<value>.*)$")]
    private static partial Regex Trailer();
}
