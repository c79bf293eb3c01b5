using System.Text.Json;
using System.Text.Json.Nodes;

namespace McpPlanServer.Clients.Hooks;

/// <summary>Reads Claude Code's PreToolUse JSON strictly: anything missing or of the wrong shape is a <see cref="HookInputException"/>.</summary>
internal static class HookRequestParser
{
    private const string HowToRun =
        "`mcpplan hook` must be run by Claude Code as a PreToolUse hook (see `mcpplan init`), which sends the tool call as JSON on stdin.";

    public static HookRequest Parse(string json) => Parse(json, "PreToolUse", ".claude/settings.json", HowToRun);

    /// <summary>Reads a payload in Claude Code's shape (Gemini CLI's BeforeTool has the same fields) for <paramref name="expectedEvent"/>.</summary>
    public static HookRequest Parse(string json, string expectedEvent, string settingsFile, string howToRun) =>
        Parse(ParseObject(json, howToRun), expectedEvent, settingsFile, howToRun);

    /// <inheritdoc cref="Parse(string, string, string, string)"/>
    public static HookRequest Parse(JsonObject payload, string expectedEvent, string settingsFile, string howToRun)
    {
        var eventName = ReadString(payload, "hook_event_name");
        if (eventName != expectedEvent)
        {
            throw new HookInputException(
                $"The hook was called for event '{eventName ?? "(none)"}'; it only answers {expectedEvent}. Register it under hooks.{expectedEvent} in {settingsFile}.");
        }

        var toolName = ReadString(payload, "tool_name");
        if (string.IsNullOrEmpty(toolName))
        {
            throw new HookInputException($"The hook input has no tool_name. {howToRun}");
        }

        if (payload["tool_input"] is not JsonObject toolInput)
        {
            throw new HookInputException($"The hook input has no tool_input object for {toolName}. {howToRun}");
        }

        return new HookRequest(toolName, toolInput, AbsoluteDirectory(ReadString(payload, "cwd"), "cwd", howToRun));
    }

    /// <summary>The hook input as a JSON object; anything else is a <see cref="HookInputException"/>.</summary>
    public static JsonObject ParseObject(string json, string howToRun)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException exception)
        {
            throw new HookInputException($"The hook input is not valid JSON ({exception.Message}). {howToRun}");
        }

        return root as JsonObject ?? throw new HookInputException($"The hook input is not a JSON object. {howToRun}");
    }

    /// <summary><paramref name="directory"/> when it is an absolute path; the hook judges relative targets against it.</summary>
    public static string AbsoluteDirectory(string? directory, string field, string howToRun) =>
        !string.IsNullOrEmpty(directory) && Path.IsPathRooted(directory)
            ? directory
            : throw new HookInputException($"The hook input has no absolute {field}. {howToRun}");

    /// <summary>A command a client runs in <paramref name="directory"/>, as <c>cd DIR &amp;&amp; command</c>, so the policy sees where it writes.</summary>
    public static JsonObject InDirectory(string command, string? directory)
    {
        if (string.IsNullOrEmpty(directory))
        {
            return new JsonObject { ["command"] = command };
        }

        var quoted = "'" + directory.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
        return new JsonObject { ["command"] = $"cd {quoted} && {command}" };
    }

    /// <summary>The string at <paramref name="name"/>, or null when it is absent or not a string.</summary>
    public static string? ReadString(JsonObject node, string name)
    {
        var text = node[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
        if (text is not null && text.Contains('\0', StringComparison.Ordinal))
        {
            // No path and no shell command line can hold one; a tool would cut the text there, so the hook cannot judge it.
            throw new HookInputException($"The hook input's {name} contains a NUL character, which no path or shell command can hold; the call is blocked.");
        }

        return text;
    }
}
