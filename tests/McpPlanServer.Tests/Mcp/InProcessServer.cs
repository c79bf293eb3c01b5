using System.IO.Pipelines;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Mcp.Hosting;
using McpPlanServer.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpPlanServer.Tests.Mcp;

/// <summary>A role's server hosted in-process over in-memory pipes, with a real file store in a temp folder.</summary>
public sealed class InProcessServer : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task serverRun;

    private InProcessServer(string? root, PlanWorkflow workflow, McpServer server, McpClient client, Task serverRun)
    {
        Root = root;
        Workflow = workflow;
        Server = server;
        Client = client;
        this.serverRun = serverRun;
    }

    public string? Root { get; }

    public PlanWorkflow Workflow { get; }

    public McpServer Server { get; }

    public McpClient Client { get; }

    /// <param name="workflow">A workflow over a real repository the caller owns (and deletes); by default a file store in a new temp folder.</param>
    public static async Task<InProcessServer> StartAsync(
        Actor role,
        IEnumerable<McpServerTool>? additionalTools = null,
        Func<PlanWorkflow, IEnumerable<McpServerTool>>? toolsFor = null,
        ILoggerFactory? loggerFactory = null,
        PlanWorkflow? workflow = null,
        CancellationToken cancellationToken = default)
    {
        loggerFactory ??= NullLoggerFactory.Instance;
        string? root = null;
        if (workflow is null)
        {
            root = Path.Combine(Path.GetTempPath(), "mcpplan-unit-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(root);
            var config = new PlanServerConfig();
            workflow = new PlanWorkflow(new FilePlanStore(root, config), config, null, null, TimeProvider.System);
        }

        var options = new McpServerOptions();
        PlanServerOptions.Configure(options, role, workflow, loggerFactory.CreateLogger("McpPlanServer"), [.. additionalTools ?? [], .. toolsFor?.Invoke(workflow) ?? []]);

        var clientToServer = new Pipe();
        var serverToClient = new Pipe();
        var server = McpServer.Create(new StreamServerTransport(clientToServer.Reader.AsStream(), serverToClient.Writer.AsStream()), options, loggerFactory);
        var stop = new CancellationTokenSource();
        var run = server.RunAsync(stop.Token);
        var client = await McpClient.CreateAsync(new StreamClientTransport(clientToServer.Writer.AsStream(), serverToClient.Reader.AsStream()), loggerFactory: loggerFactory, cancellationToken: cancellationToken);
        var instance = new InProcessServer(root, workflow, server, client, run);
        instance.stop.Token.Register(stop.Cancel);
        return instance;
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await stop.CancelAsync();
        try
        {
            await serverRun;
        }
        catch (OperationCanceledException)
        {
        }

        await Server.DisposeAsync();
        if (Root is not null)
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
