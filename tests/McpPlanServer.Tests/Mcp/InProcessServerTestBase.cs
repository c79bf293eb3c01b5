using System.Diagnostics.CodeAnalysis;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Server;
using Xunit.Abstractions;

namespace McpPlanServer.Tests.Mcp;

/// <summary>
/// The shape of the csharp-sdk's <c>ClientServerTestBase</c> for this project's role servers: the server's and client's
/// logs go to the test's output, every call takes the test's cancellation token, and the servers a test started are
/// stopped and their folders removed when it ends. xUnit v2 has no <c>TestContext.Current.CancellationToken</c>, so the
/// token is the test's own, cancelled when the test ends or after <see cref="TestTimeout"/>.
/// </summary>
[SuppressMessage("Reliability", "CA1001", Justification = "xUnit v2 calls IAsyncLifetime.DisposeAsync, which disposes the token source; the class is never disposed otherwise.")]
public abstract class InProcessServerTestBase(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Long enough for a loaded machine, short enough that a hung call fails the test instead of the run.</summary>
    public static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(2);

    private readonly CancellationTokenSource test = new(TestTimeout);
    private readonly List<InProcessServer> servers = [];

    protected ITestOutputHelper Output { get; } = output;

    protected ILoggerFactory LoggerFactory { get; } = Microsoft.Extensions.Logging.LoggerFactory.Create(builder =>
        builder.AddProvider(new TestOutputLoggerProvider(output)).SetMinimumLevel(LogLevel.Debug));

    protected CancellationToken TestCancellationToken => test.Token;

    /// <summary>Starts a role's server in process and connects a client to it; both log to the test output.</summary>
    protected async Task<InProcessServer> StartServerAsync(Actor role, Func<PlanWorkflow, IEnumerable<McpServerTool>>? toolsFor = null)
    {
        var server = await InProcessServer.StartAsync(role, toolsFor: toolsFor, loggerFactory: LoggerFactory, cancellationToken: TestCancellationToken);
        servers.Add(server);
        return server;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await test.CancelAsync();
        foreach (var server in servers)
        {
            await server.DisposeAsync();
        }

        test.Dispose();
        LoggerFactory.Dispose();
    }
}
