namespace McpPlanServer.Core.Workflow;

/// <summary>
/// What a step commit never includes, whatever the implementer names: the plans root, the person's configuration and
/// every MCP client's settings (the implementer may not edit them, and committing them would ship one session's set-up
/// to everyone). The person commits these themselves (<c>mcpplan init --commit</c> does it for the set-up).
/// </summary>
public static class ProtectedPaths
{
    /// <summary>Client settings and configuration, as repository-relative files or folders.</summary>
    public static IReadOnlyList<string> ClientSettings { get; } =
    [
        ".mcp.json",
        ".claude",
        ".codex",
        ".gemini",
        ".cursor/mcp.json",
        ".cursor/hooks.json",
        ".vscode/mcp.json",
        ".github/hooks", // Copilot CLI's and VS Code's hooks: the implementer must not switch off its own hook
    ];

    public static IReadOnlyList<string> For(string plansRoot) => [plansRoot, .. ClientSettings];
}
