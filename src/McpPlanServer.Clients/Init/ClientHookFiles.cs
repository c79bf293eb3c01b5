using System.Text.Json.Nodes;

namespace McpPlanServer.Clients.Init;

/// <summary>
/// The project-level hook files init writes for the clients other than Claude Code, each registering
/// <c>mcpplan hook --client NAME</c> in that client's format: Gemini CLI's BeforeTool in <c>.gemini/settings.json</c>,
/// Codex CLI's PreToolUse in <c>.codex/hooks.json</c>, Cursor's preToolUse and beforeShellExecution in
/// <c>.cursor/hooks.json</c> (with <c>failClosed</c>) plus its observe-only afterFileEdit, and Copilot's preToolUse in <c>.github/hooks/mcpplan.json</c>,
/// which Copilot CLI and VS Code's agent hooks both read. Sources: docs/clients.md.
/// </summary>
/// <param name="RelativePath">The file.</param>
/// <param name="Clients">The <c>--client</c> names that write it.</param>
/// <param name="HookClient">The <c>mcpplan hook --client</c> format it runs.</param>
/// <param name="MergeEntries">Adds or updates the mcpplan entries (the command line given), noting each change.</param>
internal sealed record ClientHookFiles(string RelativePath, IReadOnlyList<string> Clients, string HookClient, Action<JsonObject, string, string, List<string>> MergeEntries)
{
    public const string GeminiMatcher = "write_file|replace|run_shell_command";
    public const string CodexMatcher = "Bash|apply_patch";
    public const string CursorToolMatcher = "Shell|Write|StrReplace|Edit|MultiEdit|Delete";

    public static ClientHookFiles Gemini { get; } = new(JsonClientConfig.Gemini.RelativePath, [InitClients.Gemini], Hooks.GeminiHookFormat.Client,
        (root, command, path, changes) => HookEntryMerger.MergeNested(root, Hooks.GeminiHookFormat.EventName, GeminiMatcher, command, path, changes));

    public static ClientHookFiles Codex { get; } = new(".codex/hooks.json", [InitClients.Codex], Hooks.CodexHookFormat.Client,
        (root, command, path, changes) => HookEntryMerger.MergeNested(root, "PreToolUse", CodexMatcher, command, path, changes));

    public static ClientHookFiles Cursor { get; } = new(".cursor/hooks.json", [InitClients.Cursor], Hooks.CursorHookFormat.Client, (root, command, path, changes) =>
    {
        HookEntryMerger.EnsureVersion(root, changes);
        HookEntryMerger.MergeFlat(root, Hooks.CursorHookFormat.ToolEvent, "command", [("command", command), ("matcher", CursorToolMatcher), ("failClosed", true)], path, changes);
        HookEntryMerger.MergeFlat(root, Hooks.CursorHookFormat.ShellEvent, "command", [("command", command), ("failClosed", true)], path, changes); // Cursor before 2.4
        HookEntryMerger.MergeFlat(root, Hooks.CursorHookFormat.AfterEditEvent, "command", [("command", command)], path, changes); // observe-only: records what it cannot block
    });

    /// <summary>Copilot CLI runs the <c>bash</c> key, VS Code the <c>command</c> key: the same command line in both.</summary>
    public static ClientHookFiles Copilot { get; } = new(".github/hooks/mcpplan.json", [InitClients.Copilot, InitClients.VsCode], Hooks.CopilotHookFormat.Client, (root, command, path, changes) =>
    {
        HookEntryMerger.EnsureVersion(root, changes);
        HookEntryMerger.MergeFlat(root, "preToolUse", "bash", [("type", "command"), ("bash", command), ("command", command), ("timeoutSec", 30), ("failClosed", true)], path, changes);
    });

    public static IReadOnlyList<ClientHookFiles> All { get; } = [Gemini, Codex, Cursor, Copilot];

    /// <summary>The hook files of the chosen clients, each once.</summary>
    public static IReadOnlyList<ClientHookFiles> For(IReadOnlyList<string> clients) => [.. All.Where(file => file.Clients.Any(clients.Contains))];

    public List<string> Merge(JsonObject root, ServerLaunchCommand launch)
    {
        var changes = new List<string>();
        MergeEntries(root, launch.HookCommandLineFor(HookClient), RelativePath, changes);
        return changes;
    }

    /// <summary>True when the file registers <c>mcpplan hook --client HookClient</c> anywhere in its hook lists.</summary>
    public bool IsRegistered(JsonObject? root) =>
        (root?["hooks"] as JsonObject)?.Select(pair => pair.Value).OfType<JsonArray>()
            .SelectMany(entries => entries.OfType<JsonObject>())
            .SelectMany(entry => new[] { entry["command"], entry["bash"] }.Concat((entry["hooks"] as JsonArray)?.OfType<JsonObject>().Select(hook => hook["command"]) ?? []))
            .Any(command => ClaudeSettingsMerger.IsMcpplanHook(command) && command!.GetValue<string>().Contains("hook --client " + HookClient, StringComparison.Ordinal)) == true;
}
