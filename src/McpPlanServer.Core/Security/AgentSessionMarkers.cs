namespace McpPlanServer.Core.Security;

/// <summary>
/// Environment variables that mark a process as running inside an agent session: the role mcpplan gives a session,
/// and the markers the coding clients set in the shells of their tools. The owner's decisions refuse to run where
/// one is present, and the hook refuses commands that remove or overwrite one (<c>env -u</c>, <c>unset</c>, <c>env -i</c>).
/// </summary>
public static class AgentSessionMarkers
{
    /// <summary>The role of an mcpplan session (<c>planner</c>, <c>implementer</c>, <c>observer</c>).</summary>
    public const string RoleVariable = "MCPPLAN_ROLE";

    /// <summary>Every marker variable: mcpplan's role, Claude Code, Codex CLI, Gemini CLI, Cursor and VS Code.</summary>
    public static IReadOnlyList<string> VariableNames { get; } =
    [
        RoleVariable,
        "CLAUDECODE",                     // Claude Code, in its Bash tool (value 1)
        "CLAUDE_CODE_ENTRYPOINT",         // Claude Code (cli, sdk-ts, …)
        "CODEX_SANDBOX",                  // Codex CLI, in sandboxed commands (seatbelt, …)
        "CODEX_SANDBOX_NETWORK_DISABLED", // Codex CLI, when the sandbox has no network
        "GEMINI_CLI",                     // Gemini CLI, in its shell tool (value 1)
        "CURSOR_TRACE_ID",                // Cursor's terminals and agent
        "VSCODE_PID",                     // VS Code's integrated terminal and its agents
        "TERM_PROGRAM",                   // "vscode" in VS Code and Cursor terminals
    ];

    public static bool IsMarker(string variableName) => VariableNames.Contains(variableName, StringComparer.Ordinal);
}
