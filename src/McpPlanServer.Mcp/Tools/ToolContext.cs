using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;
using Microsoft.Extensions.Logging;

namespace McpPlanServer.Mcp.Tools;

/// <summary>What every tool is built with: the workflow, the role the server was started as, a stderr logger, and the
/// repository root (for the client settings the approval form depends on; null when hosted without one).</summary>
public sealed record ToolContext(PlanWorkflow Workflow, Actor Role, ILogger Logger, string? RepositoryRoot = null)
{
    public PlanTool Create(ToolSpec spec, Func<ToolCall, CancellationToken, ValueTask<System.Text.Json.Nodes.JsonObject>> handler) =>
        new(spec, Workflow, Role, Logger, handler);

    public PlanTool Create(ToolSpec spec, Func<ToolCall, System.Text.Json.Nodes.JsonObject> handler) =>
        new(spec, Workflow, Role, Logger, (call, _) => ValueTask.FromResult(handler(call)));
}
