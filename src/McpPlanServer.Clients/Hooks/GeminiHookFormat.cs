using System.Text.Json.Nodes;

namespace McpPlanServer.Clients.Hooks;

/// <summary>
/// Gemini CLI's BeforeTool hook (<c>mcpplan hook --client gemini</c>), an adapter around the one role policy. Gemini
/// sends Claude Code's fields (<c>hook_event_name</c>, <c>tool_name</c>, <c>tool_input</c>, <c>cwd</c>); its file
/// tools map onto the policy's (<c>write_file</c> is Write, <c>replace</c> is Edit, both with <c>file_path</c>) and
/// <c>run_shell_command</c> onto Bash, run in its <c>dir_path</c> when given. A denial is exit 0 with
/// <c>{"decision":"deny","reason":…}</c>; anything the hook cannot judge is exit 2, which Gemini CLI treats as a block
/// (every other non-zero exit is only a warning, and the call would run). Sources: docs/clients.md.
/// </summary>
internal static class GeminiHookFormat
{
    public const string Client = "gemini";
    public const string EventName = "BeforeTool";

    private const string HowToRun =
        "`mcpplan hook --client gemini` must be run by Gemini CLI as a BeforeTool hook (hooks.BeforeTool in .gemini/settings.json), which sends the tool call as JSON on stdin.";

    public static HookRequest Parse(string json)
    {
        var request = HookRequestParser.Parse(json, EventName, ".gemini/settings.json", HowToRun);
        return request.ToolName switch
        {
            "write_file" => request with { ToolName = "Write" },
            "replace" => request with { ToolName = "Edit" },
            "run_shell_command" => request with { ToolName = "Bash", ToolInput = InDirectory(request.ToolInput) },
            _ => request,
        };
    }

    /// <summary>The deny answer; an allowed call gets an empty object, so stdout is always the JSON Gemini parses.</summary>
    public static JsonObject Answer(HookDecision decision) => decision.IsDenied
        ? new JsonObject { ["decision"] = "deny", ["reason"] = decision.Reason }
        : [];

    /// <summary>A command run in <c>dir_path</c> is judged as <c>cd DIR &amp;&amp; command</c>, so the policy sees where it writes.</summary>
    private static JsonObject InDirectory(JsonObject toolInput)
    {
        var command = HookRequestParser.ReadString(toolInput, "command");
        return command is null
            ? toolInput
            : HookRequestParser.InDirectory(command, HookRequestParser.ReadString(toolInput, "dir_path") ?? HookRequestParser.ReadString(toolInput, "directory"));
    }
}
