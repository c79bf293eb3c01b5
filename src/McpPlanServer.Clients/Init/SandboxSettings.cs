using System.Text.Json.Nodes;

namespace McpPlanServer.Clients.Init;

/// <summary>
/// Claude Code's sandbox rules that init writes: the operating system (bubblewrap on Linux, Seatbelt on macOS) keeps
/// every Bash command of an agent session from writing the plans folder (plans, records, journal), the config, the
/// MCP and client settings, and the hook, whatever program the command starts; a session's own settings file
/// (<c>claude --settings .claude/mcpplan/planner.settings.json</c>) adds the planner's and observer's denial of the
/// whole repository. Bash commands may not leave the sandbox (<c>allowUnsandboxedCommands: false</c>).
/// Paths in project settings are relative to the repository root; in a <c>--settings</c> file, to that file's folder.
/// </summary>
internal static class SandboxSettings
{
    /// <summary>The folder of the per-role settings files, repository-relative.</summary>
    public const string RoleFolder = ".claude/mcpplan";

    public static readonly string[] Roles = ["planner", "implementer", "observer"];

    /// <summary>The roles whose sessions may not write anywhere in the repository.</summary>
    private static readonly HashSet<string> ReadOnlyRoles = ["planner", "observer"];

    private static readonly string[] UserSettings = ["~/.claude/settings.json", "~/.claude/settings.local.json", "~/.claude.json"];

    public static string RoleSettingsPath(string role) => $"{RoleFolder}/{role}.settings.json";

    /// <summary>The command that starts a session of <paramref name="role"/> from the repository root.</summary>
    public static string SessionCommand(string role) => $"MCPPLAN_ROLE={role} claude --settings {RoleSettingsPath(role)}";

    /// <summary>Repository-relative places no agent's Bash may write.</summary>
    public static IReadOnlyList<string> ProtectedPlaces(string plansRoot) =>
    [
        plansRoot.TrimEnd('/'),
        ".claude/mcpplan.json",
        RoleFolder,
        ".claude/settings.json",
        ".claude/settings.local.json",
        ".claude/hooks",
        ".mcp.json",
        ".config/dotnet-tools.json",
    ];

    /// <summary>Adds the sandbox rules of every session to the project's <c>.claude/settings.json</c>.</summary>
    public static void MergeProject(JsonObject root, string plansRoot, string where, List<string> changes) =>
        Merge(root, [.. ProtectedPlaces(plansRoot), .. UserSettings], where, changes);

    /// <summary>The rules of one role's settings file: every session's, and for the planner and observer the whole repository.</summary>
    public static void MergeRole(JsonObject root, string role, string plansRoot, List<string> changes)
    {
        // Relative to .claude/mcpplan/, where the file lives.
        var fromRoleFolder = ProtectedPlaces(plansRoot).Select(place => "../../" + place).ToList();
        if (ReadOnlyRoles.Contains(role))
        {
            fromRoleFolder.Insert(0, "../..");
        }

        Merge(root, [.. fromRoleFolder, .. UserSettings], RoleSettingsPath(role), changes);
    }

    private static void Merge(JsonObject root, IReadOnlyList<string> denyWrite, string where, List<string> changes)
    {
        var sandbox = JsonFile.GetOrAddObject(root, "sandbox", where);
        AddIfMissing(sandbox, "enabled", true, changes);
        AddIfMissing(sandbox, "allowUnsandboxedCommands", false, changes);
        var filesystem = JsonFile.GetOrAddObject(sandbox, "filesystem", where + ": sandbox");
        if (filesystem["denyWrite"] is null && !filesystem.ContainsKey("denyWrite"))
        {
            filesystem["denyWrite"] = new JsonArray();
        }

        if (filesystem["denyWrite"] is not JsonArray existing)
        {
            throw new InitRefusedException($"{where}: sandbox.filesystem.denyWrite should be an array; fix it by hand and run mcpplan init again.");
        }

        var missing = denyWrite.Where(path => !existing.Any(e => e is JsonValue value && value.TryGetValue<string>(out var text) && text == path)).ToList();
        foreach (var path in missing)
        {
            existing.Add((JsonNode)path);
        }

        if (missing.Count > 0)
        {
            changes.Add($"adds sandbox.filesystem.denyWrite {string.Join(", ", missing)}");
        }
    }

    private static void AddIfMissing(JsonObject target, string name, bool value, List<string> changes)
    {
        // A value the person set stays: init reports the layers in force instead of overruling a deliberate choice.
        if (!target.ContainsKey(name))
        {
            target[name] = value;
            changes.Add($"adds sandbox.{name}: {(value ? "true" : "false")}");
        }
    }
}
