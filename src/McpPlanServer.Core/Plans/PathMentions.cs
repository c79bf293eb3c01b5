using McpPlanServer.Core.Paths;

namespace McpPlanServer.Core.Plans;

/// <summary>
/// Recognizes file paths in plan prose: tokens with a '/' or a known source extension, dotfiles in code spans.
/// Routes (<c>/api/x</c>), URLs, commands and identifiers such as <c>req.userId</c> are not paths.
/// </summary>
internal static class PathMentions
{
    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        "cs", "csproj", "sln", "slnx", "props", "targets", "fs", "vb", "ts", "tsx", "js", "jsx", "mjs", "cjs", "py", "go", "rs",
        "java", "kt", "kts", "rb", "php", "swift", "c", "h", "cc", "cpp", "hpp", "m", "scala", "clj", "ex", "exs", "erl", "dart",
        "lua", "pl", "r", "sh", "bash", "zsh", "ps1", "bat", "md", "txt", "rst", "adoc", "json", "jsonc", "yaml", "yml", "toml",
        "xml", "ini", "cfg", "conf", "config", "env", "lock", "gradle", "html", "htm", "css", "scss", "less", "vue", "svelte",
        "sql", "proto", "graphql", "gql", "tf", "dockerfile", "mk", "cmake", "csv", "tsv", "svg", "png", "jpg", "gif", "ico",
    };

    private static readonly char[] Trim = ['.', ',', ';', ':', '!', '?', ')', '(', '[', ']', '"', '\'', '*', '`', '<', '>'];

    /// <summary>Candidate path tokens of a piece of prose or a code span.</summary>
    public static IEnumerable<string> Candidates(string text, bool fromCodeSpan)
    {
        if (fromCodeSpan && text.Contains(' ', StringComparison.Ordinal))
        {
            yield break;
        }

        foreach (var raw in text.Split([' ', '\t', '\n', ','], StringSplitOptions.RemoveEmptyEntries))
        {
            var token = raw.Trim(Trim);
            if (token.Length is 0 or > 300 || token.Contains("://", StringComparison.Ordinal) || token.Contains('(') || token.Contains('='))
            {
                continue;
            }

            if (LooksLikePath(token, fromCodeSpan))
            {
                yield return token;
            }
        }
    }

    public static bool LooksLikePath(string token, bool fromCodeSpan)
    {
        if (token.Contains('/') || token.Contains('\\'))
        {
            var last = token.Replace('\\', '/').TrimEnd('/').Split('/')[^1];
            // A route such as /api/users has no extension; a folder in a code span ("src/auth/") is a path.
            return HasKnownExtension(last) || (fromCodeSpan && !token.StartsWith('/')) || (!token.StartsWith('/') && token.EndsWith('/'));
        }

        return HasKnownExtension(token) || (fromCodeSpan && token.StartsWith('.') && token.Length > 1 && char.IsLetter(token[1]));
    }

    /// <summary>Normalizes a candidate; null when it is not a valid repository path (the reason goes to <paramref name="rejected"/>).</summary>
    public static string? Normalize(string token, int line, List<RejectedPath> rejected)
    {
        if (RepoRelativePath.TryNormalize(token, out var normalized, out var error))
        {
            return normalized;
        }

        rejected.Add(new RejectedPath(token, line, error));
        return null;
    }

    private static bool HasKnownExtension(string name)
    {
        var dot = name.LastIndexOf('.');
        return dot > 0 && dot < name.Length - 1 && Extensions.Contains(name[(dot + 1)..]);
    }
}
