using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlanServer.Core.Diagnostics;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpPlanServer.Mcp.Tools;

/// <summary>
/// One MCP tool: the schema generated from its declared parameters (compact, so the tool list stays cheap in every
/// request's context), the arguments checked against the same declaration, and a handler over the workflow. Business refusals become <c>isError</c> results whose text says what to do;
/// anything unexpected is logged to stderr and answered without internals.
/// </summary>
public sealed class PlanTool : McpServerTool
{
    private readonly Func<ToolCall, CancellationToken, ValueTask<JsonObject>> handler;
    private readonly PlanWorkflow workflow;
    private readonly Actor serverRole;
    private readonly ILogger logger;
    private readonly Lazy<Tool> protocolTool;

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
        // Built when first asked for: a server builds every role's tools for its catalog but lists only its own role's,
        // and the schemas are a measurable share of start-up (docs/benchmarks.md, "Cold start").
        protocolTool = new Lazy<Tool>(spec.ToProtocolTool);
        Metadata = [new AllowedRolesAttribute([.. spec.Roles])];
    }

    public ToolSpec Spec { get; }

    public override Tool ProtocolTool => protocolTool.Value;

    public override IReadOnlyList<object> Metadata { get; }

    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
    {
        var arguments = request.Params?.Arguments;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var call = new ToolCall(new ToolArguments(arguments, Spec.Parameters), request.Server, request);
            var result = await handler(call, cancellationToken);
            return new CallToolResult
            {
                StructuredContent = JsonSerializer.SerializeToElement(result, McpJsonContext.Default.JsonObject),
                Content = [new TextContentBlock { Text = ReadableJson(result) }],
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
        finally
        {
            if (BenchTimings.Enabled)
            {
                var claiming = arguments is not null && arguments.TryGetValue("claim", out var claim) && claim.ValueKind == JsonValueKind.True;
                BenchTimings.Record($"tool:{ProtocolTool.Name}{(claiming ? "+claim" : string.Empty)}", System.Diagnostics.Stopwatch.GetElapsedTime(started));
            }
        }
    }

    /// <summary>
    /// The text an agent reads: JSON without the HTML-safe escapes (<c>\u0060</c>, <c>\u0027</c>, <c>\u003E</c>)
    /// that the default encoder adds; the text is never embedded in HTML, and escapes cost tokens and readability.
    /// </summary>
    internal static string ReadableJson(JsonObject result)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            result.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
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
