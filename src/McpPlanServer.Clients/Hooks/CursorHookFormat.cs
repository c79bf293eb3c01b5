using System.Text.Json.Nodes;

namespace McpPlanServer.Clients.Hooks;

/// <summary>
/// Cursor's agent hooks (<c>mcpplan hook --client cursor</c>), an adapter around the one role policy. Cursor runs
/// <c>.cursor/hooks.json</c> commands with the event as JSON on stdin. <c>beforeShellExecution</c> sends
/// <c>command</c> and <c>cwd</c> (judged as Bash); <c>preToolUse</c> (Cursor 2.4 and later) sends <c>tool_name</c> and
/// <c>tool_input</c>: <c>Shell</c> is Bash, <c>Write</c> and <c>Delete</c> are Writes and <c>StrReplace</c>/<c>Edit</c>
/// are Edits of <c>tool_input.file_path</c> (or <c>path</c>); other tools and <c>beforeReadFile</c> pass, since every
/// role may read. Payloads may carry no <c>cwd</c>: the first of <c>workspace_roots</c> stands in. A denial is exit 0 with
/// <c>{"permission":"deny", "user_message", "agent_message"}</c>; anything the hook cannot judge exits 2, which Cursor
/// treats as a deny (init also sets <c>failClosed</c> so a hook that cannot start blocks). <c>afterFileEdit</c> (<c>file_path</c>,
/// <c>edits</c>) comes after the edit, so it cannot block: an edit the role may not make is recorded in the plan store
/// (<see cref="HookCall.ObservedBy"/>) and the server reports it. Sources: docs/clients.md.
/// </summary>
internal static class CursorHookFormat
{
    public const string Client = "cursor";
    public const string ShellEvent = "beforeShellExecution";
    public const string ToolEvent = "preToolUse";
    public const string ReadEvent = "beforeReadFile";
    public const string AfterEditEvent = "afterFileEdit";

    private const string HowToRun =
        "`mcpplan hook --client cursor` must be run by Cursor as a preToolUse, beforeShellExecution or afterFileEdit hook (.cursor/hooks.json), which sends the event as JSON on stdin.";

    public static HookCall Parse(string json)
    {
        var payload = HookRequestParser.ParseObject(json.TrimStart('\uFEFF'), HowToRun); // Cursor on Windows puts a BOM first
        var eventName = HookRequestParser.ReadString(payload, "hook_event_name");
        var directory = HookRequestParser.AbsoluteDirectory(
            HookRequestParser.ReadString(payload, "cwd") is { Length: > 0 } cwd ? cwd : FirstWorkspaceRoot(payload), "cwd or workspace_roots", HowToRun);
        if (eventName == AfterEditEvent)
        {
            // Observe-only: the edit happened; the policy's verdict on it as a Write is recorded, and Cursor gets an empty answer.
            return new HookCall([FileRequest("Write", payload, AfterEditEvent, directory)], _ => []) { ObservedBy = Client };
        }

        HookRequest request = eventName switch
        {
            ShellEvent => new HookRequest("Bash", HookRequestParser.InDirectory(Required(payload, "command", ShellEvent), null), directory),
            ToolEvent => ToolRequest(payload, directory),
            ReadEvent => new HookRequest("Read", [], directory),
            _ => throw new HookInputException(
                $"The hook was called for event '{eventName ?? "(none)"}'; it only answers {ToolEvent}, {ShellEvent} and {AfterEditEvent}. Register it under those events in .cursor/hooks.json (mcpplan init --client cursor does)."),
        };
        return new HookCall([request], Answer);
    }

    /// <summary>Cursor's permission answer; an allowed call gets an empty object, so Cursor's normal flow (its own approval) continues.</summary>
    public static JsonObject Answer(HookDecision decision) => decision.IsDenied
        ? new JsonObject { ["permission"] = "deny", ["user_message"] = decision.Reason, ["agent_message"] = decision.Reason }
        : [];

    private static HookRequest ToolRequest(JsonObject payload, string directory)
    {
        var tool = Required(payload, "tool_name", ToolEvent);
        if (payload["tool_input"] is not JsonObject input)
        {
            throw new HookInputException($"The hook input has no tool_input object for {tool}. {HowToRun}");
        }

        return tool switch
        {
            "Shell" => new HookRequest("Bash", HookRequestParser.InDirectory(Required(input, "command", tool), HookRequestParser.ReadString(input, "cwd")), directory),
            "Write" or "Delete" => FileRequest("Write", input, tool, directory),
            "StrReplace" or "Edit" or "MultiEdit" => FileRequest("Edit", input, tool, directory),
            _ => new HookRequest(tool, input, directory),
        };
    }

    private static HookRequest FileRequest(string policyTool, JsonObject input, string tool, string directory)
    {
        var path = HookRequestParser.ReadString(input, "file_path") ?? HookRequestParser.ReadString(input, "path")
            ?? throw new HookInputException($"The {tool} tool input has no file_path; the hook cannot tell which file it would change.");
        return new HookRequest(policyTool, new JsonObject { ["file_path"] = path }, directory);
    }

    private static string Required(JsonObject node, string field, string where) =>
        HookRequestParser.ReadString(node, field) is { Length: > 0 } value
            ? value
            : throw new HookInputException($"The {where} input has no {field}. {HowToRun}");

    /// <summary>The first workspace root; Cursor writes Windows roots as <c>/C:/…</c>, which loses its leading slash there.</summary>
    private static string? FirstWorkspaceRoot(JsonObject payload)
    {
        var root = payload["workspace_roots"] is JsonArray roots && roots.Count > 0 && roots[0] is JsonValue first && first.TryGetValue<string>(out var text) ? text : null;
        if (root is not null && OperatingSystem.IsWindows() && root.Length > 2 && root[0] == '/' && root[2] == ':')
        {
            root = root[1..];
        }

        return root?.Contains('\0', StringComparison.Ordinal) == true ? null : root;
    }
}
