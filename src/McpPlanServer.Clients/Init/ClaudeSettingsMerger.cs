using System.Text.Json;
using System.Text.Json.Nodes;

namespace McpPlanServer.Clients.Init;

/// <summary>
/// Adds the PreToolUse entry that runs <c>mcpplan hook</c> and the sandbox rules (<see cref="SandboxSettings"/>) to
/// <c>.claude/settings.json</c>, keeping every other setting and hook. An existing mcpplan hook entry is updated in
/// place (matcher, command) instead of duplicated.
/// </summary>
internal static class ClaudeSettingsMerger
{
    public const string RelativePath = ".claude/settings.json";
    public const string Matcher = "Edit|Write|MultiEdit|NotebookEdit|Bash";

    public static List<string> Merge(JsonObject root, ServerLaunchCommand launch, string plansRoot)
    {
        var changes = new List<string>();
        MergeHook(root, launch, changes);
        SandboxSettings.MergeProject(root, plansRoot, RelativePath, changes);
        return changes;
    }

    private static void MergeHook(JsonObject root, ServerLaunchCommand launch, List<string> changes)
    {
        var hooks = JsonFile.GetOrAddObject(root, "hooks", RelativePath);
        if (hooks["PreToolUse"] is null && !hooks.ContainsKey("PreToolUse"))
        {
            hooks["PreToolUse"] = new JsonArray();
        }

        if (hooks["PreToolUse"] is not JsonArray preToolUse)
        {
            throw new InitRefusedException($"{RelativePath}: hooks.PreToolUse should be an array; fix it by hand and run mcpplan init again.");
        }

        var commandLine = launch.HookCommandLine;
        foreach (var entry in preToolUse.OfType<JsonObject>())
        {
            var ours = (entry["hooks"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(hook => IsMcpplanHook(hook["command"]));
            if (ours is null)
            {
                continue;
            }

            JsonFile.SetIfDifferent(entry, "matcher", Matcher, "the mcpplan hook matcher", changes);
            JsonFile.SetIfDifferent(ours, "type", "command", "the mcpplan hook type", changes);
            JsonFile.SetIfDifferent(ours, "command", commandLine, $"the hook command to `{commandLine}`", changes);
            return;
        }

        preToolUse.Add((JsonNode)new JsonObject
        {
            ["matcher"] = Matcher,
            ["hooks"] = new JsonArray(new JsonObject { ["type"] = "command", ["command"] = commandLine }),
        });
        changes.Add($"adds PreToolUse hook `{launch.Invocation} hook` (exit 2 when it cannot start)");
    }

    /// <summary>A command such as <c>mcpplan hook</c>, <c>/opt/bin/mcpplan hook || …</c>, <c>dotnet /x/mcpplan.dll hook</c> or <c>dotnet tool run mcpplan hook</c>.</summary>
    public static bool IsMcpplanHook(JsonNode? command)
    {
        if (command is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            return false;
        }

        var words = value.GetValue<string>().Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.Trim('\'', '"')).ToList();
        var program = words.FindIndex(w => Path.GetFileName(w).StartsWith(ServerLaunchCommand.ExecutableName, StringComparison.OrdinalIgnoreCase));
        return program >= 0 && words.Skip(program + 1).Contains("hook");
    }
}
