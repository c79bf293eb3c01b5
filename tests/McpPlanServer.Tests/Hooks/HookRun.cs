using System.Text.Json.Nodes;
using McpPlanServer.Clients.Hooks;

namespace McpPlanServer.Tests.Hooks;

/// <summary>Runs the hook in-process on one payload and captures what Claude Code would see.</summary>
internal sealed record HookRun(int ExitCode, string Stdout, string Stderr)
{
    public static HookRun Execute(string stdin, string? role, HookEnvironment environment, string? client = null)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = HookCommand.Run(new StringReader(stdin), stdout, stderr, role, environment, client);
        return new HookRun(exit, stdout.ToString(), stderr.ToString());
    }

    public HookOutcome Outcome => ExitCode switch
    {
        HookCommand.BlockingExitCode => HookOutcome.Block,
        0 when Stdout.Length == 0 => HookOutcome.Allow,
        0 when PermissionDecision == "deny" => HookOutcome.Deny,
        _ => throw new InvalidOperationException($"Unexpected hook result: exit {ExitCode}, stdout '{Stdout}', stderr '{Stderr}'."),
    };

    public string? PermissionDecision => Output?["hookSpecificOutput"]?["permissionDecision"]?.GetValue<string>();

    public string Reason => Outcome == HookOutcome.Block ? Stderr : Output?["hookSpecificOutput"]?["permissionDecisionReason"]?.GetValue<string>() ?? "";

    private JsonNode? Output => Stdout.Length == 0 ? null : JsonNode.Parse(Stdout);

    /// <summary>A PreToolUse payload in the shape Claude Code sends.</summary>
    public static string Payload(string toolName, JsonObject toolInput, string cwd, string eventName = "PreToolUse") => new JsonObject
    {
        ["session_id"] = "0b9d3c1e-5f1a-4c2e-9d43-2a1f7c1e8b10",
        ["transcript_path"] = "/home/user/.claude/projects/repo/0b9d3c1e.jsonl",
        ["cwd"] = cwd,
        ["permission_mode"] = "default",
        ["hook_event_name"] = eventName,
        ["tool_name"] = toolName,
        ["tool_input"] = toolInput,
    }.ToJsonString();

    /// <summary>The tool_input Claude Code sends for each tool, around one path or command.</summary>
    public static JsonObject ToolInput(string toolName, string pathOrCommand) => toolName switch
    {
        "Edit" => new JsonObject { ["file_path"] = pathOrCommand, ["old_string"] = "class App", ["new_string"] = "sealed class App", ["replace_all"] = false },
        "Write" => new JsonObject { ["file_path"] = pathOrCommand, ["content"] = "text\n" },
        "MultiEdit" => new JsonObject
        {
            ["file_path"] = pathOrCommand,
            ["edits"] = new JsonArray(new JsonObject { ["old_string"] = "a", ["new_string"] = "b" }),
        },
        "NotebookEdit" => new JsonObject { ["notebook_path"] = pathOrCommand, ["cell_id"] = "c1", ["new_source"] = "print(1)", ["cell_type"] = "code", ["edit_mode"] = "replace" },
        "Bash" => new JsonObject { ["command"] = pathOrCommand, ["description"] = "Run a command", ["timeout"] = 120000 },
        "Read" => new JsonObject { ["file_path"] = pathOrCommand },
        _ => new JsonObject { ["pattern"] = pathOrCommand },
    };
}
