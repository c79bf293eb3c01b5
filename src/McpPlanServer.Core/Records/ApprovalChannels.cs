namespace McpPlanServer.Core.Records;

/// <summary>Where an approval was given. Only the CLI from a terminal and the board count as a person's channel.</summary>
public static class ApprovalChannels
{
    /// <summary>The owner's CLI (<c>mcpplan approve</c>).</summary>
    public const string Cli = "cli";

    /// <summary>The board: a local page with an in-memory token.</summary>
    public const string Board = "board";

    /// <summary>The client's in-app form (MCP elicitation): the client's word, which a program can give.</summary>
    public const string Elicitation = "elicitation";
}
