namespace McpPlanServer.Clients.Hooks;

/// <summary>What the hook takes from its process environment besides the role, separate so tests can set it.</summary>
/// <param name="ProjectDirectory">Claude Code's <c>CLAUDE_PROJECT_DIR</c>: where the session started, stable even after a <c>cd</c>.</param>
/// <param name="HomeDirectory">The user's home, for <c>~</c> and <c>~/.claude/settings*.json</c>.</param>
/// <param name="ClientConfigDirectory">Claude Code's <c>CLAUDE_CONFIG_DIR</c> (user settings kept somewhere other than <c>~/.claude</c>).</param>
public sealed record HookEnvironment(string? ProjectDirectory, string? HomeDirectory, string? ClientConfigDirectory = null)
{
    public static HookEnvironment FromProcess() => new(
        Environment.GetEnvironmentVariable("CLAUDE_PROJECT_DIR"),
        Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
        Environment.GetEnvironmentVariable("CLAUDE_CONFIG_DIR"));
}
