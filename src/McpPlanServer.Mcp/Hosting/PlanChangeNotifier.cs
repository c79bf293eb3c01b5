using McpPlanServer.Storage;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpPlanServer.Mcp.Hosting;

/// <summary>Sends <c>notifications/resources/list_changed</c> to the client whenever the change source (file monitor or database listener) sees plans change.</summary>
public sealed class PlanChangeNotifier(McpServer server, IPlanChangeSource monitor, ILogger logger)
{
    /// <summary>Runs until <paramref name="stoppingToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            await monitor.RunAsync(
                async cancellationToken =>
                {
                    logger.LogDebug("Plans changed; notifying the client");
                    await server.SendNotificationAsync(NotificationMethods.ResourceListChangedNotification, cancellationToken);
                },
                stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
