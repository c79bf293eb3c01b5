using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Http.Tokens;
using McpPlanServer.Mcp.Hosting;
using McpPlanServer.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpPlanServer.Http.Hosting;

/// <summary>
/// The MCP server over Streamable HTTP (stateful sessions). Each session gets the role of the token that opened it and
/// exactly the server a stdio process of that role would be (<see cref="PlanServerOptions.Configure"/>: its tools only,
/// re-checked on every call), with its own workflow so that each session holds its own claims. Kestrel is configured in
/// code alone: no appsettings or environment variable of an untrusted repository can add an endpoint.
/// </summary>
public sealed class PlanHttpServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private PlanHttpServer(WebApplication app, Uri endpoint)
    {
        this.app = app;
        Endpoint = endpoint;
    }

    /// <summary>The MCP endpoint as the server sees it, for example <c>http://127.0.0.1:7332/mcp</c>.</summary>
    public Uri Endpoint { get; }

    /// <param name="sessionWorkflow">Makes the workflow of one MCP session (its own claim holder).</param>
    /// <param name="journal">The workflow refusals at the door are journaled through.</param>
    /// <param name="changeSource">Makes what tells one session that plans changed (the file monitor, or LISTEN/NOTIFY on the PostgreSQL store).</param>
    public static async Task<PlanHttpServer> StartAsync(
        HttpServeOptions options,
        AccessTokenStore tokens,
        PlanWorkflow journal,
        Func<PlanWorkflow> sessionWorkflow,
        Func<IPlanChangeSource> changeSource,
        string repositoryRoot,
        LogLevel logLevel,
        CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Production" });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(logLevel);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = StdioGate.LineLimitFor(journal.Config.MaxPlanBytes);
            kestrel.Listen(options.Listen);
        });

        builder.Services
            .AddMcpServer()
            .WithHttpTransport(transport =>
            {
                transport.Stateless = false;
                transport.ConfigureSessionOptions = (context, serverOptions, _) =>
                {
                    // The guard ran first and put the token's role here; a request without it never reaches the SDK.
                    var role = context.Items[HttpAccessGuard.RoleItem] is Actor granted ? granted : throw new InvalidOperationException("No role for this session.");
                    var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("mcpplan");
                    PlanServerOptions.Configure(serverOptions, role, sessionWorkflow(), logger, repositoryRoot: repositoryRoot);
                    return Task.CompletedTask;
                };
#pragma warning disable MCPEXP002 // Experimental: the only hook that gives a session's server, for its change notifications.
                transport.RunSessionHandler = (_, server, sessionClosed) => RunSessionAsync(server, changeSource(), sessionClosed);
#pragma warning restore MCPEXP002
            });

        var app = builder.Build();
        var guard = new HttpAccessGuard(tokens, journal, options, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("mcpplan.http"), new RefusalJournalLimit(TimeProvider.System));
        app.Use(guard.Guard);
        app.MapMcp(HttpServeOptions.Path);
        app.MapFallback(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return context.Response.WriteAsync($"Not found: the MCP endpoint is {HttpServeOptions.Path}.\n");
        });
        await app.StartAsync(cancellationToken);

        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        guard.Port = address.Port;
        return new PlanHttpServer(app, new Uri(address, HttpServeOptions.Path));
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>Runs one session, telling its client when plans change, as the stdio server does.</summary>
    private static async Task RunSessionAsync(McpServer server, IPlanChangeSource monitor, CancellationToken sessionClosed)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(sessionClosed);
        var notifying = monitor.RunAsync(
            cancellationToken => server.SendNotificationAsync(NotificationMethods.ResourceListChangedNotification, cancellationToken),
            stop.Token);
        try
        {
            await server.RunAsync(sessionClosed);
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await notifying;
            }
            catch (Exception error) when (error is OperationCanceledException or InvalidOperationException or IOException)
            {
                // The session is over; a notification it could no longer take is not an error.
            }
        }
    }
}
