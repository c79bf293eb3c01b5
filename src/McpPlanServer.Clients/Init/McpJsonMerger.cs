using System.Text.Json.Nodes;

namespace McpPlanServer.Clients.Init;

/// <summary>
/// Adds the <c>plans</c> server to <c>.mcp.json</c>. Other servers and keys stay as they are; in the <c>plans</c>
/// entry init owns <c>type</c>, <c>command</c> and <c>args</c> (so a reinstall updates the path) and adds
/// <c>env</c> only when missing.
/// </summary>
internal static class McpJsonMerger
{
    public const string RelativePath = ".mcp.json";
    public const string ServerName = ServerEntryMerger.ServerName;

    /// <summary>Claude Code expands this when it starts the server, so each session picks its role from its environment.</summary>
    public const string RoleArgument = "${MCPPLAN_ROLE:-observer}";

    public static List<string> Merge(JsonObject root, ServerLaunchCommand launch) => ServerEntryMerger.Merge(
        root,
        "mcpServers",
        [
            ("type", "stdio"),
            ("command", launch.Command),
            ("args", new JsonArray([.. launch.LeadingArguments.Select(a => (JsonNode)a), "serve", "--role", RoleArgument])),
        ],
        [],
        RelativePath);
}
