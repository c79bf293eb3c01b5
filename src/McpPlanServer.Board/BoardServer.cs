using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace McpPlanServer.Board;

/// <summary>
/// The board's web server: Kestrel on 127.0.0.1 only, configured in code alone (no appsettings, environment or
/// command-line configuration can add an endpoint), with the security guard in front of every route.
/// </summary>
public sealed class BoardServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task monitors;

    private BoardServer(WebApplication app, BoardSecurity security, BoardEvents events)
    {
        this.app = app;
        Security = security;
        Events = events;
        monitors = events.RunMonitorsAsync(stopping.Token);
    }

    public int Port => Security.Port;

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>The URL to print to the person's terminal: the only place the token ever appears.</summary>
    public string SignInUrl => $"http://127.0.0.1:{Port}/?token={Security.Token}";

    internal BoardSecurity Security { get; }

    internal BoardEvents Events { get; }

    public static async Task<BoardServer> StartAsync(BoardOptions options, CancellationToken cancellationToken)
    {
        if (options.Repositories.Count == 0)
        {
            throw new ArgumentException("The board needs at least one repository.", nameof(options));
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Production" });

        // A repository is untrusted: its appsettings.json or the environment must not add endpoints or change limits.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 64 * 1024;
            kestrel.Listen(IPAddress.Loopback, options.Port);
        });

        var security = new BoardSecurity();
        var events = new BoardEvents(options.Repositories, options.PollInterval);
        var app = builder.Build();
        app.Use(security.Guard);
        new BoardEndpoints(options, security, events).Map(app);
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        security.Port = new Uri(address).Port;
        return new BoardServer(app, security, events);
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await app.StopAsync();
        try
        {
            await monitors;
        }
        catch (OperationCanceledException)
        {
        }

        await app.DisposeAsync();
        stopping.Dispose();
    }
}
