using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace McpPlanServer.Mcp.Hosting;

/// <summary>Runs a role's server over stdio. stdout carries only MCP messages; every log line goes to stderr.</summary>
public static class PlanServerHost
{
    public static async Task RunAsync(Actor role, PlanWorkflow workflow, IPlanChangeSource changes, LogLevel logLevel, CancellationToken cancellationToken, string? repositoryRoot = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(settings: null);
        builder.Logging.SetMinimumLevel(logLevel);
        builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddSingleton(changes);
        builder.Services.AddHostedService<PlanChangeNotifier>();
        // The SDK's own stdio transport reads lines of any length; the gate bounds them and answers malformed messages.
        var gate = new StdioGate(Console.OpenStandardInput(), Console.OpenStandardOutput(), StdioGate.LineLimitFor(workflow.Config.MaxPlanBytes));
        builder.Services
            .AddMcpServer()
            .WithStreamServerTransport(gate.ServerInput, gate.ServerOutput);
        builder.Services.AddOptions<ModelContextProtocol.Server.McpServerOptions>()
            .Configure<ILoggerFactory>((options, loggers) => PlanServerOptions.Configure(options, role, workflow, loggers.CreateLogger("mcpplan"), repositoryRoot: repositoryRoot));

        using var host = builder.Build();
        _ = gate.RunAsync(host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("mcpplan.stdio"), cancellationToken);
        await host.RunAsync(cancellationToken);
    }
}
