using System.Text.Json.Nodes;

namespace McpPlanServer.Clients.Init;

/// <summary>
/// <c>mcpplan doctor --clients</c>: per MCP client, honestly, what is enforced for a repository on this machine. The
/// server's role checks hold for every client that starts it; Claude Code adds the PreToolUse hook and the sandbox;
/// every other client has the layers its project files register: its <c>mcpplan hook --client</c> (written by init),
/// without which edits and shell commands are not checked before they happen (commit_step still refuses the plans
/// folder and client settings, and status reports such edits after the fact). Each line that reports something
/// missing names the fix, and the first line compares this mcpplan's version with the one the repository pins
/// (<see cref="ToolVersionCheck"/>).
/// </summary>
public static class ClientDoctor
{
    public static IReadOnlyList<string> Describe(string repoRoot, string? pathVariable, string? homeDirectory, string? installedVersion = null)
    {
        var lines = new List<string> { ToolVersionCheck.Describe(repoRoot, installedVersion ?? ToolVersionCheck.Installed) };
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
            else
            {
                lines.AddRange(HookLines(repoRoot, client));
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

    /// <summary>The client-side layers of a client other than Claude Code: its mcpplan hook, registered or not, and what is in force.</summary>
    private static IEnumerable<string> HookLines(string repoRoot, string client)
    {
        var file = ClientHookFiles.All.Single(candidate => candidate.Clients.Contains(client));
        if (file.IsRegistered(ReadJson(Path.Join(repoRoot, file.RelativePath))))
        {
            yield return $"  edits/shell: checked before they happen by mcpplan hook --client {file.HookClient} ({file.RelativePath}; shell command lines best effort){HookCaveat(client)}";
            yield return "  sandbox: not set by mcpplan for this client";
            yield return "  in force: server roles and the hook";
        }
        else
        {
            yield return $"  edits/shell: NOT checked before they happen (no mcpplan hook in {file.RelativePath}); run mcpplan init --client {client}. "
                + "commit_step still refuses the plans folder and client settings, and status and review_implementation report such edits after the fact";
            yield return "  sandbox: not set by mcpplan for this client";
            yield return "  in force: server roles only";
        }
    }

    private static string HookCaveat(string client) => client switch
    {
        InitClients.Codex => "; Codex loads project hooks only in a trusted project",
        InitClients.Gemini => "; Gemini applies project settings only in a trusted folder",
        InitClients.Cursor => "; file edits need Cursor 2.4 or later (preToolUse), older versions check shell commands only",
        InitClients.Copilot => "; Copilot CLI loads repository hooks in -p mode only for a trusted folder",
        InitClients.VsCode => "; VS Code's agent hooks are a preview and can be switched off by policy",
        _ => "",
    };

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
