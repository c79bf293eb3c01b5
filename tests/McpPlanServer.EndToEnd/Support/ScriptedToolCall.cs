using System.Text.Json.Nodes;

namespace McpPlanServer.EndToEnd.Support;

/// <summary>
/// One tool call a <see cref="ScriptedModel"/> makes: the tool as the client names it, or the last part of that name (an
/// MCP tool is matched by its own name whatever prefix the client adds: <c>mcp__plans__commit_step</c>,
/// <c>commit_step</c>), and its arguments.
/// </summary>
public sealed record ScriptedToolCall(string Tool, JsonObject Arguments);
