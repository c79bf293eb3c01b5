using System.Runtime.InteropServices;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Server;

namespace McpPlanServer.Mcp.Hosting;

/// <summary>
/// Runs a role's server over stdio. stdout carries only MCP messages; every log line goes to stderr.
/// The server is made directly (<see cref="McpServer.Create"/>), not through the generic host: building a host's
/// dependency injection, options and lifetime cost the Native AOT binary about a third of its start-up
/// (docs/benchmarks.md, "Cold start profile"). What the host did is done here: the session ends when stdin ends or on
/// SIGINT, SIGQUIT or SIGTERM (then with exit code 0, as the host's console lifetime did), and the change notifier runs beside it.
/// </summary>
public static class PlanServerHost
{
    public static async Task RunAsync(Actor role, PlanWorkflow workflow, IPlanChangeSource changes, LogLevel logLevel, CancellationToken cancellationToken, string? repositoryRoot = null)
    {
        using var loggers = new DeferredLoggerFactory(logLevel);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var interrupt = StopOn(PosixSignal.SIGINT, stopping);
        using var quit = StopOn(PosixSignal.SIGQUIT, stopping);
        using var terminate = StopOn(PosixSignal.SIGTERM, stopping);

        // The SDK's own stdio transport reads lines of any length; the gate bounds them and answers malformed messages.
        var gate = new StdioGate(new OwnThreadReadStream(Console.OpenStandardInput()), Console.OpenStandardOutput(), StdioGate.LineLimitFor(workflow.Config.MaxPlanBytes));
        var options = new McpServerOptions();
        PlanServerOptions.Configure(options, role, workflow, loggers.CreateLogger("mcpplan"), repositoryRoot: repositoryRoot);
        await using var transport = new StreamServerTransport(gate.ServerInput, gate.ServerOutput, options.ServerInfo?.Name, loggers);
        await using var server = McpServer.Create(transport, options, loggers);

        var pump = gate.RunAsync(loggers.CreateLogger("mcpplan.stdio"), stopping.Token);
        var notifierLogger = loggers.CreateLogger(typeof(PlanChangeNotifier).FullName!);
        var notifier = Task.Run(() => NotifyAsync(new PlanChangeNotifier(server, changes, notifierLogger), notifierLogger, stopping), CancellationToken.None);
        try
        {
            await server.RunAsync(stopping.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        finally
        {
            await stopping.CancelAsync();
            await Task.WhenAll(notifier, pump);
        }
    }

    private static PosixSignalRegistration StopOn(PosixSignal signal, CancellationTokenSource stopping) =>
        PosixSignalRegistration.Create(signal, context =>
        {
            context.Cancel = true; // end the session and exit normally, as the host's console lifetime did
            stopping.Cancel();
        });

    /// <summary>A failing change notifier ends the session, as a failing background service stopped the host.</summary>
    private static async Task NotifyAsync(PlanChangeNotifier notifier, ILogger logger, CancellationTokenSource stopping)
    {
        try
        {
            await notifier.RunAsync(stopping.Token);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            logger.LogError(failure, "The plan change notifier stopped; ending the session");
            await stopping.CancelAsync();
        }
    }
}
