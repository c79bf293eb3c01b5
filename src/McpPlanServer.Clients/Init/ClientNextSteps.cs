using System.Text.Json.Nodes;

namespace McpPlanServer.Clients.Init;

/// <summary>
/// What the person does after init, per client: how each session gets its role, and, for a client that reads MCP
/// servers only from the user's home (Copilot CLI), the exact lines to add there, since init writes nothing outside
/// the repository.
/// </summary>
internal static class ClientNextSteps
{
    public const string CopilotUserConfig = "~/.copilot/mcp-config.json";

    public static IEnumerable<string> Describe(IReadOnlyList<string> clients, ServerLaunchCommand launch)
    {
        if (clients.Contains(InitClients.Claude))
        {
            yield return "Claude Code asks each person once to approve the project MCP server \"plans\". To skip the prompt, add";
            yield return "\"enabledMcpjsonServers\": [\"plans\"] (or \"enableAllProjectMcpServers\": true) to ~/.claude/settings.json.";
            yield return "";
            yield return "A plain `claude` session here (yours or a teammate's: .mcp.json and the hook settings are shared) is an observer:";
            yield return "it reads the plans and cannot edit the repository. Start a role with one of the two commands below.";
            yield return "Start the two sessions from the repository root, each in its own terminal (the settings file adds the role's sandbox rules):";
            yield return "  " + SandboxSettings.SessionCommand("planner");
            yield return "  " + SandboxSettings.SessionCommand("implementer");
            yield return "";
        }

        var others = clients.Where(client => client != InitClients.Claude).ToList();
        if (others.Count > 0)
        {
            yield return "Every other client starts the server as `serve --role-from-env`: the role is MCPPLAN_ROLE in the environment the client was";
            yield return "started from (unset: observer); each one's hook file runs `mcpplan hook --client NAME`. `mcpplan doctor --clients` says what is enforced for each.";
        }

        foreach (var client in others)
        {
            switch (client)
            {
                case InitClients.Codex:
                    yield return "  Codex CLI:   MCPPLAN_ROLE=implementer codex   (Codex reads .codex/config.toml and .codex/hooks.json only once you trust the project)";
                    break;
                case InitClients.Gemini:
                    yield return "  Gemini CLI:  MCPPLAN_ROLE=implementer gemini  (project settings apply in a trusted folder)";
                    break;
                case InitClients.Cursor:
                    yield return "  Cursor:      start it from a terminal: MCPPLAN_ROLE=implementer cursor .   (a Dock/Start-menu launch has no role: observer)";
                    break;
                case InitClients.VsCode:
                    yield return "  VS Code:     start it from a terminal: MCPPLAN_ROLE=implementer code .   (a Dock/Start-menu launch has no role: observer)";
                    break;
                case InitClients.Copilot:
                    yield return $"  Copilot CLI reads MCP servers from {CopilotUserConfig} only, outside the repository, so init writes nothing for it;";
                    yield return "  add this server to that file's \"mcpServers\" object yourself, then start MCPPLAN_ROLE=implementer copilot:";
                    foreach (var line in CopilotEntry(launch).Split('\n', StringSplitOptions.RemoveEmptyEntries))
                    {
                        yield return "    " + line;
                    }

                    break;
            }
        }
    }

    /// <summary>The <c>plans</c> entry for Copilot CLI's <c>mcp-config.json</c>; the server inherits the CLI's environment.</summary>
    public static string CopilotEntry(ServerLaunchCommand launch)
    {
        var root = new JsonObject
        {
            [ServerEntryMerger.ServerName] = new JsonObject
            {
                ["type"] = "local",
                ["command"] = launch.Command,
                ["args"] = new JsonArray([.. JsonClientConfig.ServeArguments(launch).Select(a => (JsonNode)a)]),
                ["tools"] = new JsonArray("*"),
            },
        };
        return JsonFile.Serialize(root);
    }
}
