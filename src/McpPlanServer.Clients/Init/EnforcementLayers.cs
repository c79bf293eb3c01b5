using System.Text.Json.Nodes;

namespace McpPlanServer.Clients.Init;

/// <summary>
/// Which of the client-side layers is in force for a repository on this machine (<c>mcpplan hook --status</c> and the
/// end of <c>mcpplan init</c>): the hook registered in <c>.claude/settings.json</c>, and Claude Code's sandbox, which
/// needs both the settings and the operating system's tool (bubblewrap and socat on Linux, sandbox-exec on macOS).
/// Where the sandbox cannot run, Claude Code runs Bash unconfined and the hook is the only client-side layer.
/// </summary>
public static class EnforcementLayers
{
    private static readonly string[] LinuxSandboxTools = ["bwrap", "socat"];

    public static IReadOnlyList<string> Describe(string repoRoot, string? pathVariable)
    {
        var settings = ReadSettings(repoRoot);
        var hook = (settings?["hooks"]?["PreToolUse"] as JsonArray)?
            .OfType<JsonObject>()
            .SelectMany(entry => (entry["hooks"] as JsonArray)?.OfType<JsonObject>() ?? [])
            .Select(h => h["command"])
            .FirstOrDefault(ClaudeSettingsMerger.IsMcpplanHook);
        var sandboxEnabled = settings?["sandbox"]?["enabled"] is JsonValue enabled && enabled.TryGetValue<bool>(out var on) && on;
        var (sandboxTool, missing) = SandboxTool(pathVariable);
        var roleFiles = SandboxSettings.Roles.Where(role => File.Exists(Path.Join(repoRoot, SandboxSettings.RoleSettingsPath(role)))).ToList();

        var lines = new List<string>
        {
            hook is null
                ? "hook:    not registered in .claude/settings.json; run mcpplan init"
                : $"hook:    registered in .claude/settings.json ({hook.GetValue<string>().Split(" ||", 2)[0]}; blocks when it cannot start)",
            !sandboxEnabled
                ? "sandbox: off in .claude/settings.json (sandbox.enabled); Bash is not confined"
                : sandboxTool is null
                    ? $"sandbox: configured, but this machine lacks {missing}, so Claude Code runs Bash unconfined"
                    : $"sandbox: configured, {sandboxTool} present: Bash cannot write the plans folder, config or settings",
            roleFiles.Count == SandboxSettings.Roles.Length
                ? $"roles:   {SandboxSettings.RoleFolder}/<role>.settings.json present (the planner's and observer's sessions cannot write the repository)"
                : $"roles:   {SandboxSettings.RoleFolder}/<role>.settings.json missing for {string.Join(", ", SandboxSettings.Roles.Except(roleFiles))}; run mcpplan init",
            hook is not null && sandboxEnabled && sandboxTool is not null
                ? "in force: sandbox and hook"
                : hook is not null ? "in force: hook only (the fallback: it sees command lines, not what the programs they start write)" : "in force: neither; run mcpplan init",
        };
        return lines;
    }

    /// <summary>The tool Claude Code's sandbox needs on this system, or what is missing.</summary>
    private static (string? Tool, string Missing) SandboxTool(string? pathVariable)
    {
        if (OperatingSystem.IsMacOS())
        {
            return File.Exists("/usr/bin/sandbox-exec") ? ("sandbox-exec", "") : (null, "sandbox-exec");
        }

        if (!OperatingSystem.IsLinux())
        {
            return (null, "a supported sandbox (Linux, WSL2 or macOS)");
        }

        var missing = LinuxSandboxTools.Where(tool => !OnPath(tool, pathVariable)).ToList();
        return missing.Count == 0
            ? ("bubblewrap and socat", "")
            : (null, $"{string.Join(" and ", missing)} (apt-get install bubblewrap socat)");
    }

    private static bool OnPath(string tool, string? pathVariable) =>
        (pathVariable ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Any(folder => File.Exists(Path.Join(folder, tool)));

    private static JsonObject? ReadSettings(string repoRoot)
    {
        var path = Path.Join(repoRoot, ClaudeSettingsMerger.RelativePath);
        try
        {
            return File.Exists(path) ? JsonFile.ParseObject(File.ReadAllText(path), ClaudeSettingsMerger.RelativePath) : null;
        }
        catch (InitRefusedException)
        {
            return null;
        }
    }
}
