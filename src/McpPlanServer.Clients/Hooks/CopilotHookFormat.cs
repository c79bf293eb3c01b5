using System.Text.Json;
using System.Text.Json.Nodes;

namespace McpPlanServer.Clients.Hooks;

/// <summary>
/// GitHub Copilot's preToolUse hook (<c>mcpplan hook --client copilot</c>), an adapter around the one role policy, for the
/// two shapes that read <c>.github/hooks/*.json</c>. Copilot CLI (and the coding agent) send <c>toolName</c>,
/// <c>toolArgs</c> (a JSON string, or an object in some builds) and <c>cwd</c>: <c>bash</c> is Bash, <c>create</c> a Write
/// and <c>edit</c> an Edit of <c>toolArgs.path</c>; <c>powershell</c> cannot be judged and is denied; a denial is exit 0
/// with <c>{"permissionDecision":"deny","permissionDecisionReason":…}</c>. VS Code's agent hooks send Claude Code's
/// fields (<c>hook_event_name: PreToolUse</c>, <c>tool_name</c>, <c>tool_input</c>) and read Claude Code's answer:
/// <c>run_in_terminal</c> is Bash, <c>create_file</c>/<c>replace_string_in_file</c>/<c>insert_edit_into_file</c> Writes of
/// <c>filePath</c>, <c>editFiles</c> a Write per entry of <c>files</c>. Other tools pass. Anything the hook cannot judge
/// exits 2, which both treat as a deny (Copilot CLI: every non-zero exit but a timeout; init sets <c>failClosed</c> too).
/// Sources: docs/clients.md.
/// </summary>
internal static class CopilotHookFormat
{
    public const string Client = "copilot";

    private const string HowToRun =
        "`mcpplan hook --client copilot` must be run by Copilot CLI or VS Code as a preToolUse hook (.github/hooks/mcpplan.json), which sends the tool call as JSON on stdin.";

    private static readonly string[] VsCodeFileTools = ["create_file", "createFile", "replace_string_in_file", "multi_replace_string_in_file", "insert_edit_into_file", "edit_notebook_file"];

    public static HookCall Parse(string json)
    {
        var payload = HookRequestParser.ParseObject(json, HowToRun);
        return payload.ContainsKey("hook_event_name") ? ParseVsCode(payload) : ParseCli(payload);
    }

    private static HookCall ParseCli(JsonObject payload)
    {
        var tool = HookRequestParser.ReadString(payload, "toolName") is { Length: > 0 } name ? name : throw new HookInputException($"The hook input has no toolName. {HowToRun}");
        var directory = HookRequestParser.AbsoluteDirectory(HookRequestParser.ReadString(payload, "cwd"), "cwd", HowToRun);
        var args = ToolArgs(payload, tool);
        HookRequest request = tool switch
        {
            "bash" => new HookRequest("Bash", HookRequestParser.InDirectory(Text(args, "command", tool), null), directory),
            "create" => File("Write", args, tool, directory, "path"),
            "edit" or "str_replace_editor" => File("Edit", args, tool, directory, "path"),
            "powershell" or "pwsh" => throw new HookInputException(
                "mcpplan hook judges shell commands in POSIX shell syntax only, so this PowerShell call is denied. Run Copilot CLI where its shell tool is bash (Linux, macOS, WSL)."),
            _ => new HookRequest(tool, args, directory),
        };
        return new HookCall([request], decision => decision.IsDenied
            ? new JsonObject { ["permissionDecision"] = "deny", ["permissionDecisionReason"] = decision.Reason }
            : null);
    }

    private static HookCall ParseVsCode(JsonObject payload)
    {
        var request = HookRequestParser.Parse(payload, "PreToolUse", ".github/hooks/mcpplan.json", HowToRun);
        var input = request.ToolInput;
        IReadOnlyList<HookRequest> requests = request.ToolName switch
        {
            "run_in_terminal" or "runInTerminal" => [request with { ToolName = "Bash", ToolInput = HookRequestParser.InDirectory(Text(input, "command", request.ToolName), null) }],
            "editFiles" => EditFiles(request),
            _ when VsCodeFileTools.Contains(request.ToolName) => [File("Write", input, request.ToolName, request.WorkingDirectory, "filePath", "file_path", "path")],
            _ => [request],
        };
        return new HookCall(requests, decision => decision.IsDenied ? HookCommand.ClaudeDeny(decision.Reason!) : null);
    }

    /// <summary><c>editFiles</c> names its files in <c>files</c>; one Write each, and a call naming none cannot be judged.</summary>
    private static List<HookRequest> EditFiles(HookRequest request)
    {
        var files = (request.ToolInput["files"] as JsonArray)?.Select(file => file is JsonValue value && value.TryGetValue<string>(out var path) ? path : null).ToList();
        if (files is not { Count: > 0 } || files.Any(string.IsNullOrEmpty))
        {
            throw new HookInputException("The editFiles call names no files (tool_input.files), so the hook cannot judge it; the call is blocked.");
        }

        return [.. files.Select(path => File("Write", new JsonObject { ["path"] = path }, request.ToolName, request.WorkingDirectory, "path"))];
    }

    /// <summary><c>toolArgs</c> as an object: Copilot CLI documents a JSON string, some builds send the object itself.</summary>
    private static JsonObject ToolArgs(JsonObject payload, string tool)
    {
        switch (payload["toolArgs"])
        {
            case JsonObject args:
                return args;
            case JsonValue value when value.TryGetValue<string>(out var text):
                try
                {
                    return JsonNode.Parse(text) as JsonObject ?? throw new HookInputException($"The toolArgs of {tool} is not a JSON object. {HowToRun}");
                }
                catch (JsonException exception)
                {
                    throw new HookInputException($"The toolArgs of {tool} is not valid JSON ({exception.Message}). {HowToRun}");
                }

            default:
                throw new HookInputException($"The hook input has no toolArgs for {tool}. {HowToRun}");
        }
    }

    private static HookRequest File(string policyTool, JsonObject args, string tool, string directory, params string[] fields)
    {
        var path = fields.Select(field => HookRequestParser.ReadString(args, field)).FirstOrDefault(value => !string.IsNullOrWhiteSpace(value))
            ?? throw new HookInputException($"The {tool} call has no {fields[0]}; the hook cannot tell which file it would change.");
        return new HookRequest(policyTool, new JsonObject { ["file_path"] = path }, directory);
    }

    private static string Text(JsonObject args, string field, string tool) =>
        HookRequestParser.ReadString(args, field) ?? throw new HookInputException($"The {tool} call has no {field}; the hook cannot tell what it would run.");
}
