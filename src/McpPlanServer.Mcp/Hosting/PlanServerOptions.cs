using System.Reflection;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Mcp.Prompts;
using McpPlanServer.Mcp.Resources;
using McpPlanServer.Mcp.Tools;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpPlanServer.Mcp.Hosting;

/// <summary>
/// Everything a role's server offers, in one place: its tools (and only its tools), the enforcement filters, the
/// role brief as instructions, its prompts and the plan resources. Used by <c>mcpplan serve</c> and by tests that
/// host the server in-process.
/// </summary>
public static class PlanServerOptions
{
    public static IReadOnlyList<PlanTool> AllTools(ToolContext context) =>
        [.. CommonTools.Create(context), .. PlannerTools.Create(context), .. ImplementerTools.Create(context)];

    public static void Configure(McpServerOptions options, Actor role, PlanWorkflow workflow, ILogger logger, IEnumerable<McpServerTool>? additionalTools = null, string? repositoryRoot = null)
    {
        var context = new ToolContext(workflow, role, logger, repositoryRoot);
        var all = AllTools(context);
        var catalog = all.ToDictionary(tool => tool.Spec.Name, tool => tool.Spec.Roles, StringComparer.Ordinal);

        options.ServerInfo = new Implementation
        {
            Name = "mcpplan",
            Title = $"McpPlanServer ({role.ToName()})",
            Version = typeof(PlanServerOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0",
        };
        options.ServerInstructions = RoleBriefs.For(role);
        options.Capabilities = new ServerCapabilities
        {
            Tools = new ToolsCapability { ListChanged = false },
            Prompts = new PromptsCapability { ListChanged = false },
            Resources = new ResourcesCapability { ListChanged = true, Subscribe = false },
        };

        var tools = new McpServerPrimitiveCollection<McpServerTool>();
        foreach (var tool in all.Where(tool => tool.Spec.Roles.Contains(role)))
        {
            tools.Add(tool);
        }

        foreach (var tool in additionalTools ?? [])
        {
            tools.Add(tool);
        }

        options.ToolCollection = tools;

        var enforcement = new RoleEnforcement(role, workflow, catalog);
        options.Filters.Request.ListToolsFilters.Add(enforcement.FilterList);
        options.Filters.Request.CallToolFilters.Add(enforcement.FilterCall);

        var prompts = RolePrompts.For(role, workflow);
        options.Handlers.ListPromptsHandler = (_, _) => ValueTask.FromResult(new ListPromptsResult { Prompts = [.. prompts.Select(prompt => prompt.Prompt)] });
        options.Handlers.GetPromptHandler = (request, _) =>
        {
            var name = request.Params?.Name;
            var prompt = prompts.FirstOrDefault(candidate => candidate.Prompt.Name == name)
                ?? throw new McpProtocolException(
                    $"Unknown prompt '{name}'. This {role.ToName()} server has: {string.Join(", ", prompts.Select(candidate => candidate.Prompt.Name))}.",
                    McpErrorCode.InvalidParams);
            var arguments = request.Params?.Arguments?.ToDictionary(pair => pair.Key, pair => pair.Value.ToString(), StringComparer.Ordinal)
                ?? new Dictionary<string, string>(StringComparer.Ordinal);
            return ValueTask.FromResult(prompt.Render(arguments, request.Server.ClientInfo?.Name));
        };

        var resources = new PlanResources(workflow);
        options.Handlers.ListResourcesHandler = resources.ListAsync;
        options.Handlers.ListResourceTemplatesHandler = PlanResources.ListTemplatesAsync;
        options.Handlers.ReadResourceHandler = resources.ReadAsync;
    }
}
