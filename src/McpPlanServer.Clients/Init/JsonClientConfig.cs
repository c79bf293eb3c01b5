using System.Text.Json.Nodes;

namespace McpPlanServer.Clients.Init;

/// <summary>
/// A client whose project-level MCP configuration is a JSON file (Gemini CLI, Cursor, VS Code). These clients cannot
/// write <c>${MCPPLAN_ROLE:-observer}</c> with a default, so the server is started with <c>serve --role-from-env</c>,
/// which reads MCPPLAN_ROLE itself (unset or empty is observer); where the client documents variable interpolation in
/// <c>env</c>, the entry passes the variable explicitly as well. Sources: docs/clients.md.
/// </summary>
/// <param name="Client">The client's name for <c>--client</c>.</param>
/// <param name="RelativePath">The project file.</param>
/// <param name="ServersKey">The client's name for its servers object.</param>
/// <param name="Type">The <c>type</c> the client wants for a local server, or null when it takes none.</param>
/// <param name="RoleReference">How the client writes "the value of MCPPLAN_ROLE" in <c>env</c>, or null when the server inherits the client's environment.</param>
internal sealed record JsonClientConfig(string Client, string RelativePath, string ServersKey, string? Type, string? RoleReference)
{
    public const string RoleFromEnvironmentArgument = "--role-from-env";

    /// <summary>Gemini CLI: <c>.gemini/settings.json</c>; stdio servers inherit the CLI's environment (minus secrets).</summary>
    public static JsonClientConfig Gemini { get; } = new(InitClients.Gemini, ".gemini/settings.json", "mcpServers", null, null);

    /// <summary>Cursor: <c>.cursor/mcp.json</c>, with <c>${env:NAME}</c> interpolation.</summary>
    public static JsonClientConfig Cursor { get; } = new(InitClients.Cursor, ".cursor/mcp.json", "mcpServers", null, "${env:MCPPLAN_ROLE}");

    /// <summary>VS Code (Copilot agent mode): <c>.vscode/mcp.json</c>, top-level <c>servers</c>, <c>${env:NAME}</c> interpolation.</summary>
    public static JsonClientConfig VsCode { get; } = new(InitClients.VsCode, ".vscode/mcp.json", "servers", "stdio", "${env:MCPPLAN_ROLE}");

    public static IReadOnlyList<JsonClientConfig> All { get; } = [Gemini, Cursor, VsCode];

    /// <summary>The arguments after the launch command: the server reads its role from MCPPLAN_ROLE.</summary>
    public static IReadOnlyList<string> ServeArguments(ServerLaunchCommand launch) => [.. launch.LeadingArguments, "serve", RoleFromEnvironmentArgument];

    public List<string> Merge(JsonObject root, ServerLaunchCommand launch)
    {
        var keys = new List<(string Key, JsonNode Value)>();
        if (Type is not null)
        {
            keys.Add(("type", Type));
        }

        keys.Add(("command", launch.Command));
        keys.Add(("args", new JsonArray([.. ServeArguments(launch).Select(a => (JsonNode)a)])));
        var environment = RoleReference is null ? new JsonObject() : new JsonObject { [Core.Security.AgentSessionMarkers.RoleVariable] = RoleReference };
        return ServerEntryMerger.Merge(root, ServersKey, keys, environment, RelativePath);
    }
}
