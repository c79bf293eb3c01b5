using System.Net;
using McpPlanServer.Cli.Composition;
using McpPlanServer.Http.Hosting;
using McpPlanServer.Http.Tokens;

namespace McpPlanServer.Cli.Commands;

/// <summary>
/// <c>mcpplan serve --http [--listen ADDR:PORT]</c>: the MCP server over Streamable HTTP. Each client's role comes from
/// the bearer token the person issued, never from the command line. Loopback only, unless the person says otherwise
/// with --allow-remote, because the server itself speaks plain HTTP (TLS belongs to a reverse proxy, docs/http.md).
/// </summary>
public static class HttpServeCommand
{
    public static async Task<int> RunAsync(ServeOptions serve, TextWriter error)
    {
        if (serve.Role is not null || serve.RoleFromEnvironment)
        {
            throw new UsageException("Over HTTP each client's role comes from its token (`mcpplan token create --role ...`); drop --role.");
        }

        IPEndPoint listen;
        try
        {
            listen = HttpServeOptions.ParseListen(serve.Listen);
        }
        catch (ArgumentException invalid)
        {
            throw new UsageException(invalid.Message);
        }

        if (!IPAddress.IsLoopback(listen.Address) && !serve.AllowRemote)
        {
            throw new UsageException(
                $"--listen {listen} is not a loopback address. This server speaks plain HTTP, so tokens and plans would cross the network unencrypted. " +
                "Keep it on 127.0.0.1 and put a TLS reverse proxy (Caddy, nginx) in front of it (docs/http.md); " +
                "add --allow-remote only when the network between the proxy and this server is trusted.");
        }

        var services = PlanServices.Open(RepositoryLocator.Find(serve.Repo), TimeProvider.System);
        if (services.Recover() is { } recovered)
        {
            await error.WriteLineAsync($"mcpplan: {recovered}");
        }

        var tokens = new AccessTokenStore(services.RepositoryRoot, TimeProvider.System);
        if (!tokens.List().Any(token => token.IsActive))
        {
            await error.WriteLineAsync("mcpplan: no active tokens yet, so every request is refused. Issue one in your own terminal: mcpplan token create --role planner --name NAME");
        }

        var options = new HttpServeOptions(listen, serve.AllowedHosts ?? [], serve.AllowedOrigins ?? []);
        var repositoryRoot = services.RepositoryRoot;
        await using var server = await PlanHttpServer.StartAsync(
            options,
            tokens,
            services.Workflow,
            () => PlanServices.Open(repositoryRoot, TimeProvider.System).Workflow,
            () => services.ChangeSource(TimeSpan.FromMilliseconds(500), watch: false),
            repositoryRoot,
            ServeCommand.ParseLogLevel(serve.LogLevel),
            CancellationToken.None);
        await error.WriteLineAsync($"mcpplan: serving MCP over Streamable HTTP at {server.Endpoint} (Ctrl+C stops)");
        await error.FlushAsync();
        await server.WaitForShutdownAsync(CancellationToken.None);
        return CliApplication.Done;
    }
}
