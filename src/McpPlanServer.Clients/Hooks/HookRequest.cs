using System.Text.Json.Nodes;

namespace McpPlanServer.Clients.Hooks;

/// <summary>The parts of Claude Code's PreToolUse input the hook uses.</summary>
/// <param name="ToolName">Edit, Write, MultiEdit, NotebookEdit, Bash, or any other tool.</param>
/// <param name="ToolInput">The tool's arguments.</param>
/// <param name="WorkingDirectory">The session's absolute working directory (<c>cwd</c>).</param>
internal sealed record HookRequest(string ToolName, JsonObject ToolInput, string WorkingDirectory);
