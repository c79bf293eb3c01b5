namespace McpPlanServer.Clients.Init;

/// <summary>The MCP clients <c>mcpplan init --client</c> can set up, and the parsing of that option.</summary>
public static class InitClients
{
    public const string Claude = "claude";
    public const string Codex = "codex";
    public const string Gemini = "gemini";
    public const string Cursor = "cursor";
    public const string VsCode = "vscode";
    public const string Copilot = "copilot";

    /// <summary>Every client, in the order init reports them.</summary>
    public static IReadOnlyList<string> All { get; } = [Claude, Codex, Gemini, Cursor, VsCode, Copilot];

    /// <summary>What init sets up when <c>--client</c> is not given.</summary>
    public static IReadOnlyList<string> Default { get; } = [Claude];

    /// <summary>Parses <c>claude,codex</c> or <c>all</c>; null (option absent) means the default. A bad list throws <see cref="ArgumentException"/> naming the valid ones.</summary>
    public static IReadOnlyList<string> Parse(string? value)
    {
        if (value is null)
        {
            return Default;
        }

        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0)
        {
            throw new ArgumentException($"--client needs one or more of {string.Join(", ", All)} (comma-separated), or all.");
        }

        if (names.Contains("all", StringComparer.OrdinalIgnoreCase))
        {
            return All;
        }

        var unknown = names.Where(name => !All.Contains(name.ToLowerInvariant())).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"--client {string.Join(",", unknown)}: unknown client; use {string.Join(", ", All)} (comma-separated), or all.");
        }

        var chosen = names.Select(name => name.ToLowerInvariant()).ToHashSet();
        return [.. All.Where(chosen.Contains)];
    }
}
