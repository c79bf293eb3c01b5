using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Server;

namespace McpPlanServer.Tests.Mcp;

/// <summary>
/// The shape of the csharp-sdk's <c>ClientServerTestBase</c> for this project's role servers: the server's and client's
/// logs go to the test's output, every call takes the test's cancellation token, and the servers a test started are
/// stopped and their folders removed when it ends. The token is xUnit v3's <c>TestContext.Current.CancellationToken</c>
/// (cancelled when the run is cancelled or the test times out), linked with a bound of <see cref="TestTimeout"/> so a hung
/// call fails the test instead of the run.
/// </summary>
public abstract class InProcessServerTestBase(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Long enough for a loaded machine, short enough that a hung call fails the test instead of the run.</summary>
    public static readonly TimeSpan DefaultTestTimeout = TimeSpan.FromMinutes(2);

    private readonly List<InProcessServer> servers = [];
    private CancellationTokenSource? test;

    protected ITestOutputHelper Output { get; } = output;

    protected ILoggerFactory LoggerFactory { get; } = Microsoft.Extensions.Logging.LoggerFactory.Create(builder =>
        builder.AddProvider(new TestOutputLoggerProvider(output)).SetMinimumLevel(LogLevel.Debug));

    /// <summary>The bound on the whole test; a test of the bound itself sets a short one.</summary>
    protected virtual TimeSpan TestTimeout => DefaultTestTimeout;

    /// <summary>The test's token: cancelled when xUnit cancels the test, when the test ends, or after <see cref="TestTimeout"/>.</summary>
    protected CancellationToken TestCancellationToken =>
        (test ?? throw new InvalidOperationException("The test has not been initialised: xUnit calls InitializeAsync first.")).Token;

    /// <summary>Starts a role's server in process and connects a client to it; both log to the test output.</summary>
    protected async Task<InProcessServer> StartServerAsync(Actor role, Func<PlanWorkflow, IEnumerable<McpServerTool>>? toolsFor = null)
    {
        var server = await InProcessServer.StartAsync(role, toolsFor: toolsFor, loggerFactory: LoggerFactory, cancellationToken: TestCancellationToken);
        servers.Add(server);
        return server;
    }

    public ValueTask InitializeAsync()
    {
        test = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        test.CancelAfter(TestTimeout);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (test is not null)
        {
            await test.CancelAsync();
        }

        foreach (var server in servers)
        {
            await server.DisposeAsync();
        }

        test?.Dispose();
        LoggerFactory.Dispose();
        GC.SuppressFinalize(this);
    }
}
