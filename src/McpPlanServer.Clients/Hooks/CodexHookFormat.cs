using System.Text.Json.Nodes;

namespace McpPlanServer.Clients.Hooks;

/// <summary>
/// Codex CLI's PreToolUse hook (<c>mcpplan hook --client codex</c>), an adapter around the one role policy. Codex sends
/// Claude Code's fields and reads Claude Code's answers (a <c>permissionDecision: deny</c> on stdout, or exit 2 with the
/// reason on stderr), so shell calls (<c>Bash</c>) go to the policy as they are. Its file edits arrive as
/// <c>apply_patch</c> with the whole patch in <c>tool_input.command</c>: every file the patch adds, updates, deletes or
/// moves to is judged as a Write, and one denied file denies the call. A patch that names no file cannot be judged and
/// blocks (exit 2). Sources: docs/clients.md.
/// </summary>
internal static class CodexHookFormat
{
    public const string Client = "codex";

    private const string HowToRun =
        "`mcpplan hook --client codex` must be run by Codex CLI as a PreToolUse hook (hooks.PreToolUse in .codex/config.toml or .codex/hooks.json), which sends the tool call as JSON on stdin.";

    /// <summary>The patch headers that name a file the patch writes, in Codex's patch format.</summary>
    private static readonly string[] FileHeaders = ["*** Add File: ", "*** Update File: ", "*** Delete File: ", "*** Move to: "];

    /// <summary>The calls to judge: one for a shell or other tool, one Write per file for <c>apply_patch</c>.</summary>
    public static IReadOnlyList<HookRequest> Parse(string json)
    {
        var request = HookRequestParser.Parse(json, "PreToolUse", ".codex/hooks.json", HowToRun);
        if (request.ToolName != "apply_patch")
        {
            return [request];
        }

        var patch = HookRequestParser.ReadString(request.ToolInput, "command")
            ?? throw new HookInputException($"The apply_patch call has no command (the patch text). {HowToRun}");
        var files = patch.Split('\n')
            .Select(line => line.TrimEnd('\r'))
            .SelectMany(line => FileHeaders.Where(header => line.StartsWith(header, StringComparison.Ordinal)).Select(header => line[header.Length..].Trim()))
            .Where(path => path.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            throw new HookInputException("The apply_patch call names no file (no '*** Add File:', '*** Update File:', '*** Delete File:' or '*** Move to:' line), so the hook cannot judge it; the call is blocked.");
        }

        return [.. files.Select(file => request with
        {
            ToolName = "Write",
            ToolInput = new JsonObject { ["file_path"] = Path.IsPathRooted(file) ? file : Path.Join(request.WorkingDirectory, file), ["content"] = "" },
        })];
    }
}
