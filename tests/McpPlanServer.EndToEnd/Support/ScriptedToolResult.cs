namespace McpPlanServer.EndToEnd.Support;

/// <summary>What a client sent back to the <see cref="ScriptedModel"/> for one of its tool calls: the text, and whether the client marked it an error.</summary>
public sealed record ScriptedToolResult(string Tool, string Text, bool IsError);
