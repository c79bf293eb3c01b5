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

    private static void MergeHook(JsonObject root, ServerLaunchCommand launch, List<string> changes) =>
        HookEntryMerger.MergeNested(root, "PreToolUse", Matcher, launch.HookCommandLine, RelativePath, changes);

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
