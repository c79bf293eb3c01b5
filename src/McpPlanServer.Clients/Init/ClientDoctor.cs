using System.Text.Json.Nodes;

namespace McpPlanServer.Clients.Init;

/// <summary>
/// <c>mcpplan doctor --clients</c>: per MCP client, honestly, what is enforced for a repository on this machine. The
/// server's role checks hold for every client that starts it; Claude Code adds the PreToolUse hook and the sandbox;
/// for the other clients no mcpplan hook is in force (Gemini CLI once its BeforeTool hook is registered), so edits and shell commands are not checked
/// before they happen (commit_step still refuses to commit the plans folder and client settings). Each line that
/// reports something missing names the fix.
/// </summary>
public static class ClientDoctor
{
    private const string NoClientHook = "edits/shell: NOT checked before they happen (mcpplan has no hook for this client yet); commit_step still refuses the plans folder and client settings";

    public static IReadOnlyList<string> Describe(string repoRoot, string? pathVariable, string? homeDirectory)
    {
        var lines = new List<string>();
        foreach (var client in InitClients.All)
        {
            var entry = ReadEntry(repoRoot, homeDirectory, client, out var where);
            if (entry is null)
            {
                lines.Add($"{client}: not configured ({where}); run mcpplan init --client {client}"
                    + (client == InitClients.Copilot ? " and add the printed lines to " + ClientNextSteps.CopilotUserConfig : ""));
                continue;
            }

            lines.Add($"{client}: configured in {where}");
            lines.Add("  server roles: enforced by the server (each session sees only its role's tools)");
            lines.Add(RoleLine(client, entry));
            lines.Add(PortableLine(entry));
            if (client == InitClients.Claude)
            {
                lines.AddRange(EnforcementLayers.Describe(repoRoot, pathVariable).Select(line => "  " + line));
            }
            else if (client == InitClients.Gemini && HasGeminiHook(repoRoot))
            {
                lines.Add("  edits/shell: checked before they happen by mcpplan hook --client gemini (hooks.BeforeTool in .gemini/settings.json; shell command lines best effort)");
                lines.Add("  sandbox: not set by mcpplan for this client");
            }
            else
            {
                lines.Add("  " + NoClientHook + (client == InitClients.Gemini ? "; docs/clients.md shows the BeforeTool hook to add" : ""));
                lines.Add("  sandbox: not set by mcpplan for this client");
            }
        }

        return lines;
    }

    private static string RoleLine(string client, JsonObject entry)
    {
        var args = (entry["args"] as JsonArray)?.Select(a => a?.ToString() ?? "").ToList() ?? [];
        var fromEnvironment = client == InitClients.Claude
            ? args.Contains(McpJsonMerger.RoleArgument)
            : args.Contains(JsonClientConfig.RoleFromEnvironmentArgument);
        return fromEnvironment
            ? "  role: from MCPPLAN_ROLE in the client's environment (unset: observer)"
            : $"  role: fixed in the configuration ({string.Join(' ', args)}); run mcpplan init --client {client} to take it from MCPPLAN_ROLE";
    }

    private static string PortableLine(JsonObject entry)
    {
        var command = entry["command"]?.ToString() ?? "";
        var args = (entry["args"] as JsonArray)?.Select(a => a?.ToString() ?? "") ?? [];
        return Path.IsPathRooted(command) || args.Any(Path.IsPathRooted)
            ? $"  portable: no, it names {command}, a path of this machine; install mcpplan as a local tool or on PATH and run mcpplan init again"
            : $"  portable: yes ({command})";
    }

    /// <summary>The <c>plans</c> entry the client would read, as JSON (Codex's TOML table is read line by line), or null.</summary>
    private static JsonObject? ReadEntry(string repoRoot, string? homeDirectory, string client, out string where)
    {
        switch (client)
        {
            case InitClients.Claude:
                where = McpJsonMerger.RelativePath;
                return ReadJson(Path.Join(repoRoot, where))?["mcpServers"]?[ServerEntryMerger.ServerName] as JsonObject;
            case InitClients.Codex:
                where = CodexConfigMerger.RelativePath;
                return CodexConfigMerger.ReadEntry(ReadText(Path.Join(repoRoot, where)));
            case InitClients.Copilot:
                where = ClientNextSteps.CopilotUserConfig;
                return string.IsNullOrEmpty(homeDirectory)
                    ? null
                    : ReadJson(Path.Join(homeDirectory, ".copilot", "mcp-config.json"))?["mcpServers"]?[ServerEntryMerger.ServerName] as JsonObject;
            default:
                var config = JsonClientConfig.All.Single(candidate => candidate.Client == client);
                where = config.RelativePath;
                return ReadJson(Path.Join(repoRoot, where))?[config.ServersKey]?[ServerEntryMerger.ServerName] as JsonObject;
        }
    }

    /// <summary>True when <c>.gemini/settings.json</c> registers <c>mcpplan hook --client gemini</c> under hooks.BeforeTool.</summary>
    private static bool HasGeminiHook(string repoRoot) =>
        (ReadJson(Path.Join(repoRoot, JsonClientConfig.Gemini.RelativePath))?["hooks"]?["BeforeTool"] as JsonArray)?
            .OfType<JsonObject>()
            .SelectMany(group => (group["hooks"] as JsonArray)?.OfType<JsonObject>() ?? [])
            .Any(hook => hook["command"] is JsonValue command && command.ToString().Contains("hook --client gemini", StringComparison.Ordinal)) == true;

    private static string? ReadText(string path) => File.Exists(path) ? File.ReadAllText(path) : null;

    private static JsonObject? ReadJson(string path)
    {
        try
        {
            return ReadText(path) is { } text ? JsonFile.ParseObject(text, path) : null;
        }
        catch (InitRefusedException)
        {
            return null;
        }
    }
}
