using System.Text.Json;

namespace McpPlanServer.Board;

/// <summary>
/// The person's portfolio: repositories the board shows when no <c>--repo</c> is given, listed in a user-level file
/// (<c>$XDG_CONFIG_HOME/mcpplan/board.json</c>, else <c>~/.config/mcpplan/board.json</c>) as
/// <c>{ "repositories": ["~/src/api", "/work/web"] }</c>. It lives outside every repository, so no repository can add
/// itself to the person's board.
/// </summary>
public static class BoardPortfolio
{
    public static string DefaultPath(Func<string, string?> environment)
    {
        var configHome = environment("XDG_CONFIG_HOME") is { Length: > 0 } xdg && Path.IsPathFullyQualified(xdg)
            ? xdg
            : Path.Combine(environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return Path.Combine(configHome, "mcpplan", "board.json");
    }

    /// <summary>The listed folders with <c>~</c> expanded, in order, without duplicates; empty when the file does not exist.
    /// A file that is not the expected JSON is refused with what to fix (the person wrote it; guessing would hide a typo).</summary>
    public static IReadOnlyList<string> Load(string path, string home)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("repositories", out var list)
                || list.ValueKind != JsonValueKind.Array
                || list.EnumerateArray().Any(item => item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString())))
            {
                throw new InvalidDataException(
                    $"{path} must be {{ \"repositories\": [\"~/src/api\", \"/work/web\"] }}: an object whose \"repositories\" is a list of folder paths. Fix the file or pass --repo.");
            }

            return [.. list.EnumerateArray().Select(item => Expand(item.GetString()!.Trim(), home)).Distinct(StringComparer.Ordinal)];
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{path} is not valid JSON ({error.Message}). Fix the file or pass --repo.", error);
        }
    }

    private static string Expand(string folder, string home) =>
        folder == "~" ? home
        : folder.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(home, folder[2..])
        : folder;
}
