namespace McpPlanServer.Core.Security;

/// <summary>
/// The one list of what marks a process as running inside an AI agent session: the variables the clients set in
/// their tool shells, and the names of the clients' own processes. The owner's CLI refuses its decisions when it sees
/// any of them (in its environment or an ancestor's); the hook refuses commands that strip these variables.
/// Sources: Claude Code sets CLAUDECODE=1 and CLAUDE_CODE_ENTRYPOINT in its Bash tool; Codex CLI sets
/// CODEX_SANDBOX (seatbelt on macOS), CODEX_SANDBOX_NETWORK_DISABLED=1, CODEX_THREAD_ID (and CODEX_CI in CI);
/// Gemini CLI sets GEMINI_CLI=1 in run_shell_command; the Cursor agent CLI sets CURSOR_AGENT, and Cursor's editor
/// terminal CURSOR_TRACE_ID; VS Code's integrated terminal (where Copilot's agent mode runs commands) sets
/// TERM_PROGRAM=vscode and VSCODE_IPC_HOOK_CLI; AI_AGENT is the cross-vendor self-identification variable.
/// </summary>
public static class AgentSessionMarkers
{
    /// <summary>The session's role, set by the person when starting an agent (<c>MCPPLAN_ROLE=planner claude</c>).</summary>
    public const string RoleVariable = "MCPPLAN_ROLE";

    private static readonly (string Name, string Client, string? Value)[] Markers =
    [
        (RoleVariable, "an mcpplan agent session", null),
        ("CLAUDECODE", "Claude Code", null),
        ("CLAUDE_CODE_ENTRYPOINT", "Claude Code", null),
        ("CODEX_SANDBOX", "Codex CLI", null),
        ("CODEX_SANDBOX_NETWORK_DISABLED", "Codex CLI", null),
        ("CODEX_THREAD_ID", "Codex CLI", null),
        ("CODEX_CI", "Codex CLI", null),
        ("GEMINI_CLI", "Gemini CLI", null),
        ("CURSOR_AGENT", "Cursor", null),
        ("CURSOR_TRACE_ID", "Cursor", null),
        ("VSCODE_IPC_HOOK_CLI", "VS Code", null),
        ("VSCODE_PID", "VS Code", null),
        ("TERM_PROGRAM", "VS Code", "vscode"),
        ("AI_AGENT", "an AI agent", null),
    ];

    /// <summary>Every variable name that can mark an agent session (for the hook's "do not strip" rule).</summary>
    public static IReadOnlyList<string> VariableNames { get; } = [.. Markers.Select(marker => marker.Name).Distinct(StringComparer.Ordinal)];

    /// <summary>Whether removing or overwriting this variable would hide an agent session (the hook's rule).</summary>
    public static bool IsMarker(string variableName) => VariableNames.Contains(variableName, StringComparer.Ordinal);

    /// <summary>Executable names (argv[0] or, for node/bun/python, the script) of the agent clients themselves.</summary>
    public static IReadOnlyList<string> ClientProcessNames { get; } = ["claude", "codex", "gemini", "cursor-agent", "copilot"];

    /// <summary>Package paths that identify a client started through an interpreter (<c>node …/@openai/codex/bin/codex.js</c>).</summary>
    public static IReadOnlyList<string> ClientPackagePaths { get; } = ["@anthropic-ai/claude-code", "@openai/codex", "@google/gemini-cli", "@github/copilot"];

    /// <summary>The client a variable points at, or null when this name and value mark nothing.</summary>
    public static string? ClientOf(string name, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        foreach (var marker in Markers)
        {
            if (string.Equals(marker.Name, name, StringComparison.Ordinal) && (marker.Value is null || string.Equals(marker.Value, value, StringComparison.OrdinalIgnoreCase)))
            {
                return marker.Client;
            }
        }

        return null;
    }
}
