using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpPlanServer.Mcp.Tools;

/// <summary>What a tool handler gets: validated arguments, the server (for elicitation and progress) and the request.</summary>
public sealed record ToolCall(ToolArguments Arguments, McpServer Server, RequestContext<CallToolRequestParams> Request);
