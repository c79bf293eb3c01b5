using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpPlanServer.Mcp.Tools;

/// <summary>
/// One MCP tool with a hand-written schema (compact, so the tool list stays cheap in every request's context)
/// and a handler over the workflow. Business refusals become <c>isError</c> results whose text says what to do;
/// anything unexpected is logged to stderr and answered without internals.
/// </summary>
public sealed class PlanTool : McpServerTool
{
    private readonly Func<ToolCall, CancellationToken, ValueTask<JsonObject>> handler;
    private readonly IReadOnlyList<string> argumentNames;
    private readonly PlanWorkflow workflow;
    private readonly Actor serverRole;
    private readonly ILogger logger;

    public PlanTool(
        ToolSpec spec,
        PlanWorkflow workflow,
        Actor serverRole,
        ILogger logger,
        Func<ToolCall, CancellationToken, ValueTask<JsonObject>> handler)
    {
        Spec = spec;
        this.workflow = workflow;
        this.serverRole = serverRole;
        this.logger = logger;
        this.handler = handler;
        argumentNames = spec.ArgumentNames();
        ProtocolTool = spec.ToProtocolTool();
        Metadata = [new AllowedRolesAttribute([.. spec.Roles])];
    }

    public ToolSpec Spec { get; }

    public override Tool ProtocolTool { get; }

    public override IReadOnlyList<object> Metadata { get; }

    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
    {
        var arguments = request.Params?.Arguments;
        try
        {
            var call = new ToolCall(new ToolArguments(arguments, argumentNames), request.Server, request);
            var result = await handler(call, cancellationToken);
            var json = result.ToJsonString();
            return new CallToolResult
            {
                StructuredContent = JsonSerializer.SerializeToElement(result, McpJsonContext.Default.JsonObject),
                Content = [new TextContentBlock { Text = json }],
            };
        }
        catch (PlanRefusedException refusal)
        {
            var digest = PlanWorkflow.DigestArguments(arguments is null ? "{}" : JsonSerializer.Serialize(arguments, McpJsonContext.Default.IDictionaryStringJsonElement));
            workflow.JournalRefusal(serverRole, ProtocolTool.Name, PlanIdOf(arguments), refusal, digest);
            return Error($"Refused ({refusal.Code}): {refusal.Message}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception error)
        {
            logger.LogError(error, "Tool {Tool} failed unexpectedly", ProtocolTool.Name);
            return Error(
                $"{ProtocolTool.Name} failed inside the server ({error.GetType().Name}). The details are in the server log on stderr. " +
                "Run read_plan to see what state the plan is in before retrying.");
        }
    }

    private static CallToolResult Error(string message) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = message }],
    };

    private static string? PlanIdOf(IDictionary<string, JsonElement>? arguments) =>
        arguments is not null && arguments.TryGetValue("plan_id", out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
