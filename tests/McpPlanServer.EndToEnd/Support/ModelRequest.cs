namespace McpPlanServer.EndToEnd.Support;

/// <summary>What the script needs from one request of the client, whatever its wire format: the tools it offers and the tool results so far in the conversation.</summary>
public sealed record ModelRequest(IReadOnlyList<string> OfferedTools, IReadOnlyList<ScriptedToolResult> Results);
