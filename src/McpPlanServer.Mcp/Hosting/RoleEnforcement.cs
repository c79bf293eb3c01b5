using System.Text.Json;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Mcp.Tools;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpPlanServer.Mcp.Hosting;

/// <summary>
/// The second layer of role enforcement. A role's server registers only its own tools; these filters check every
/// tool's <see cref="AllowedRolesAttribute"/> again on list and on call, so a tool registered by mistake is neither
/// shown nor run. A call to another role's tool is a protocol error that names the role that may use it, and is journaled.
/// </summary>
public sealed class RoleEnforcement(Actor role, PlanWorkflow workflow, IReadOnlyDictionary<string, IReadOnlyList<Actor>> catalog)
{
    public McpRequestHandler<ListToolsRequestParams, ListToolsResult> FilterList(McpRequestHandler<ListToolsRequestParams, ListToolsResult> next) =>
        async (request, cancellationToken) =>
        {
            var result = await next(request, cancellationToken);
            var allowed = result.Tools.Where(tool => Allows(tool.Name, request.Server)).ToList();
            return new ListToolsResult { Tools = allowed, NextCursor = result.NextCursor };
        };

    public McpRequestHandler<CallToolRequestParams, CallToolResult> FilterCall(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        (request, cancellationToken) =>
        {
            var name = request.Params?.Name ?? string.Empty;
            var registered = request.MatchedPrimitive is McpServerTool tool
                ? tool.Metadata.OfType<AllowedRolesAttribute>().FirstOrDefault()
                : null;
            var permitted = registered?.Allows(role) ?? (catalog.TryGetValue(name, out var roles) && roles.Contains(role));
            if (!permitted && (registered is not null || catalog.ContainsKey(name)))
            {
                var owners = registered?.Roles ?? catalog[name];
                var message = $"'{name}' is a tool of the {string.Join(" or ", owners.Select(owner => owner.ToName()))}; this server runs as the {role.ToName()} and cannot use it. " +
                    $"The role is fixed when the server starts (MCPPLAN_ROLE / --role); use the tools this server lists.";
                var arguments = request.Params?.Arguments is { } values ? JsonSerializer.Serialize(values, McpJsonContext.Default.IDictionaryStringJsonElement) : "{}";
                workflow.JournalRefusal(role, name, null, new PlanRefusedException(RefusalCodes.WrongRole, message), PlanWorkflow.DigestArguments(arguments));
                throw new McpProtocolException(message, McpErrorCode.InvalidParams);
            }

            return next(request, cancellationToken);
        };

    private bool Allows(string toolName, McpServer server)
    {
        var registered = server.ServerOptions.ToolCollection?.TryGetPrimitive(toolName, out var tool) == true
            ? tool.Metadata.OfType<AllowedRolesAttribute>().FirstOrDefault()
            : null;
        return registered?.Allows(role) ?? (catalog.TryGetValue(toolName, out var roles) && roles.Contains(role));
    }
}
