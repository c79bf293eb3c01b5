using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;
using Microsoft.Extensions.Logging;

namespace McpPlanServer.Mcp.Tools;

/// <summary>What every tool is built with: the workflow, the role the server was started as, and a stderr logger.</summary>
public sealed record ToolContext(PlanWorkflow Workflow, Actor Role, ILogger Logger)
{
    public PlanTool Create(ToolSpec spec, Func<ToolCall, CancellationToken, ValueTask<System.Text.Json.Nodes.JsonObject>> handler) =>
        new(spec, Workflow, Role, Logger, handler);

    public PlanTool Create(ToolSpec spec, Func<ToolCall, System.Text.Json.Nodes.JsonObject> handler) =>
        new(spec, Workflow, Role, Logger, (call, _) => ValueTask.FromResult(handler(call)));
}
