namespace McpPlanServer.EndToEnd.Support;

/// <summary>The script's next move, which each wire format writes its own way: one tool call (its name resolved to the one the client offers), or text that ends the turn.</summary>
public sealed record ModelReply(string? Tool, System.Text.Json.Nodes.JsonObject? Arguments, string Text)
{
    public static ModelReply EndTurn(string text) => new(null, null, text);
}
