using McpPlanServer.Core.Workflow;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpPlanServer.Mcp.Resources;

/// <summary>Each plan as a resource <c>plan://{id}</c> (its markdown), for clients that attach resources to context.</summary>
public sealed class PlanResources(PlanWorkflow workflow)
{
    public const string Scheme = "plan://";

    public ValueTask<ListResourcesResult> ListAsync(RequestContext<ListResourcesRequestParams> request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new ListResourcesResult
        {
            // From the folder listing alone: listing resources must stay cheap with thousands of plans.
            Resources = [.. workflow.ListLocations().OrderBy(location => location.Id.Value, StringComparer.Ordinal).Select(location => new Resource
            {
                Uri = Scheme + location.Id,
                Name = location.Id.Value,
                Description = $"plan in {location.Folder}/",
                MimeType = "text/markdown",
            })],
        });

    public static ValueTask<ListResourceTemplatesResult> ListTemplatesAsync(RequestContext<ListResourceTemplatesRequestParams> request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new ListResourceTemplatesResult
        {
            ResourceTemplates =
            [
                new ResourceTemplate
                {
                    UriTemplate = Scheme + "{id}",
                    Name = "plan",
                    Description = "A plan's markdown by id",
                    MimeType = "text/markdown",
                },
            ],
        });

    public ValueTask<ReadResourceResult> ReadAsync(RequestContext<ReadResourceRequestParams> request, CancellationToken cancellationToken)
    {
        var uri = request.Params?.Uri ?? string.Empty;
        if (!uri.StartsWith(Scheme, StringComparison.Ordinal))
        {
            throw new McpProtocolException($"Unknown resource '{uri}'. Plans are plan://<id>; resources/list shows them.", McpErrorCode.InvalidParams);
        }

        try
        {
            var plan = workflow.ReadPlan(uri[Scheme.Length..]);
            return ValueTask.FromResult(new ReadResourceResult
            {
                Contents = [new TextResourceContents { Uri = uri, MimeType = "text/markdown", Text = plan.Text }],
            });
        }
        catch (PlanRefusedException refusal)
        {
            throw new McpProtocolException(refusal.Message, McpErrorCode.InvalidParams);
        }
    }
}
