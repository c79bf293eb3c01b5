using System.Text.Json.Nodes;

namespace McpPlanServer.Cli.Init;

/// <summary>
/// Adds the <c>plans</c> server to <c>.mcp.json</c>. Other servers and keys stay as they are; in the <c>plans</c>
/// entry init owns <c>type</c>, <c>command</c> and <c>args</c> (so a reinstall updates the path) and adds
/// <c>env</c> only when missing.
/// </summary>
internal static class McpJsonMerger
{
    public const string RelativePath = ".mcp.json";
    public const string ServerName = "plans";

    /// <summary>Claude Code expands this when it starts the server, so each session picks its role from its environment.</summary>
    public const string RoleArgument = "${MCPPLAN_ROLE:-observer}";

    public static List<string> Merge(JsonObject root, ServerLaunchCommand launch)
    {
        var changes = new List<string>();
        var servers = JsonFile.GetOrAddObject(root, "mcpServers", RelativePath);
        var args = new JsonArray([.. launch.LeadingArguments.Select(a => (JsonNode)a), "serve", "--role", RoleArgument]);
        switch (servers[ServerName])
        {
            case null when !servers.ContainsKey(ServerName):
                servers[ServerName] = new JsonObject
                {
                    ["type"] = "stdio",
                    ["command"] = launch.Command,
                    ["args"] = args,
                    ["env"] = new JsonObject(),
                };
                changes.Add($"adds mcpServers.{ServerName}");
                break;
            case JsonObject entry:
                JsonFile.SetIfDifferent(entry, "type", "stdio", $"mcpServers.{ServerName}.type", changes);
                JsonFile.SetIfDifferent(entry, "command", launch.Command, $"mcpServers.{ServerName}.command", changes);
                JsonFile.SetIfDifferent(entry, "args", args, $"mcpServers.{ServerName}.args", changes);
                if (!entry.ContainsKey("env"))
                {
                    entry["env"] = new JsonObject();
                    changes.Add($"adds mcpServers.{ServerName}.env");
                }

                break;
            default:
                throw new InitRefusedException($"{RelativePath}: mcpServers.{ServerName} should be an object; fix it by hand and run mcpplan init again.");
        }

        return changes;
    }
}
