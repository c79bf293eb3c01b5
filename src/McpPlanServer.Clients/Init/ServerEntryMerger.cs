using System.Text.Json.Nodes;

namespace McpPlanServer.Clients.Init;

/// <summary>
/// Puts the <c>plans</c> server into a JSON MCP configuration, whatever the client calls its servers object
/// (<c>mcpServers</c>, <c>servers</c>). Other servers and keys stay as they are; in the <c>plans</c> entry init owns
/// the launch keys (so a reinstall updates the command) and adds only the <c>env</c> variables that are missing,
/// so a person's own value is never flipped back.
/// </summary>
internal static class ServerEntryMerger
{
    public const string ServerName = "plans";

    /// <param name="root">The file's object.</param>
    /// <param name="serversKey">The client's name for its servers object.</param>
    /// <param name="launchKeys">The keys init owns, with their values (type, command, args).</param>
    /// <param name="environment">Variables the entry needs; an empty object still adds <c>env</c> when missing.</param>
    /// <param name="relativePath">The file, for messages.</param>
    public static List<string> Merge(JsonObject root, string serversKey, IReadOnlyList<(string Key, JsonNode Value)> launchKeys, JsonObject environment, string relativePath)
    {
        var changes = new List<string>();
        var servers = JsonFile.GetOrAddObject(root, serversKey, relativePath);
        var label = $"{serversKey}.{ServerName}";
        switch (servers[ServerName])
        {
            case null when !servers.ContainsKey(ServerName):
                var entry = new JsonObject();
                foreach (var (key, value) in launchKeys)
                {
                    entry[key] = value.DeepClone();
                }

                entry["env"] = environment.DeepClone();
                servers[ServerName] = entry;
                changes.Add($"adds {label}");
                break;
            case JsonObject existing:
                foreach (var (key, value) in launchKeys)
                {
                    JsonFile.SetIfDifferent(existing, key, value.DeepClone(), $"{label}.{key}", changes);
                }

                var env = JsonFile.GetOrAddObject(existing, "env", $"{relativePath}: {label}", out var created);
                if (created)
                {
                    changes.Add($"adds {label}.env");
                }

                foreach (var (name, value) in environment)
                {
                    if (!env.ContainsKey(name))
                    {
                        env[name] = value?.DeepClone();
                        changes.Add($"adds {label}.env.{name}");
                    }
                }

                break;
            default:
                throw new InitRefusedException($"{relativePath}: {label} should be an object; fix it by hand and run mcpplan init again.");
        }

        return changes;
    }
}
