using System.Text.Json.Nodes;

namespace McpPlanServer.Clients.Init;

/// <summary>
/// Puts the mcpplan hook into a client's hook list, keeping every other hook: an existing mcpplan entry (any command
/// that runs <c>mcpplan … hook</c>) is updated in place, so a reinstall changes the command instead of adding a second.
/// Two shapes: Claude Code's, which Gemini CLI and Codex CLI share (<c>hooks.EVENT[] = {matcher, hooks[] = {type,
/// command}}</c>), and the flat one of Cursor and Copilot (<c>hooks.EVENT[] = {command-or-bash, …}</c>).
/// </summary>
internal static class HookEntryMerger
{
    /// <summary>Claude Code's shape, for <paramref name="eventName"/>.</summary>
    public static void MergeNested(JsonObject root, string eventName, string matcher, string commandLine, string relativePath, List<string> changes)
    {
        var entries = EventList(root, eventName, relativePath);
        foreach (var entry in entries.OfType<JsonObject>())
        {
            var ours = (entry["hooks"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(hook => ClaudeSettingsMerger.IsMcpplanHook(hook["command"]));
            if (ours is null)
            {
                continue;
            }

            JsonFile.SetIfDifferent(entry, "matcher", matcher, $"the mcpplan {eventName} hook matcher", changes);
            JsonFile.SetIfDifferent(ours, "type", "command", $"the mcpplan {eventName} hook type", changes);
            JsonFile.SetIfDifferent(ours, "command", commandLine, $"the {eventName} hook command to `{commandLine.Split(" ||", 2)[0]}`", changes);
            return;
        }

        entries.Add((JsonNode)new JsonObject
        {
            ["matcher"] = matcher,
            ["hooks"] = new JsonArray(new JsonObject { ["type"] = "command", ["command"] = commandLine }),
        });
        changes.Add($"adds {eventName} hook `{commandLine.Split(" ||", 2)[0]}` (exit 2 when it cannot start)");
    }

    /// <summary>The flat shape: one object per hook, its command under <paramref name="commandKey"/>; init owns <paramref name="keys"/>.</summary>
    public static void MergeFlat(JsonObject root, string eventName, string commandKey, IReadOnlyList<(string Key, JsonNode Value)> keys, string relativePath, List<string> changes)
    {
        var entries = EventList(root, eventName, relativePath);
        var ours = entries.OfType<JsonObject>().FirstOrDefault(entry => ClaudeSettingsMerger.IsMcpplanHook(entry[commandKey]));
        var commandLine = keys.Single(key => key.Key == commandKey).Value.GetValue<string>().Split(" ||", 2)[0];
        if (ours is null)
        {
            var entry = new JsonObject();
            foreach (var (key, value) in keys)
            {
                entry[key] = value.DeepClone();
            }

            entries.Add((JsonNode)entry);
            changes.Add($"adds {eventName} hook `{commandLine}` (blocks when it cannot start)");
            return;
        }

        foreach (var (key, value) in keys)
        {
            JsonFile.SetIfDifferent(ours, key, value.DeepClone(), $"the mcpplan {eventName} hook's {key}", changes);
        }
    }

    /// <summary>Sets a top-level <c>version</c> when the file has none (Cursor and Copilot want 1); a person's value stays.</summary>
    public static void EnsureVersion(JsonObject root, List<string> changes)
    {
        if (!root.ContainsKey("version"))
        {
            root["version"] = 1;
            changes.Add("adds version 1");
        }
    }

    private static JsonArray EventList(JsonObject root, string eventName, string relativePath)
    {
        var hooks = JsonFile.GetOrAddObject(root, "hooks", relativePath);
        if (hooks[eventName] is null && !hooks.ContainsKey(eventName))
        {
            hooks[eventName] = new JsonArray();
        }

        return hooks[eventName] as JsonArray
            ?? throw new InitRefusedException($"{relativePath}: hooks.{eventName} should be an array; fix it by hand and run mcpplan init again.");
    }
}
