using System.Text;

namespace McpPlanServer.Mcp.Hosting;

/// <summary>
/// Notices when plans change state — including changes made by the other role's process or a person's <c>mv</c> —
/// by polling the modification times of the state folders and the records folder (a move or an atomic record write
/// changes them). Only when one changed does it list the folders, so idle cost stays a few stat calls per tick.
/// </summary>
public sealed class PlanChangeMonitor(string plansRootPath, TimeSpan interval)
{
    private static readonly string[] Watched = ["Review", "Active", "Completed", ".records"];

    public async Task RunAsync(Func<CancellationToken, Task> onChange, CancellationToken cancellationToken)
    {
        var stamp = Stamp();
        var signature = Signature();
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            var nextStamp = Stamp();
            if (nextStamp == stamp)
            {
                continue;
            }

            stamp = nextStamp;
            var nextSignature = Signature();
            if (nextSignature != signature)
            {
                signature = nextSignature;
                await onChange(cancellationToken);
            }
        }
    }

    private string Stamp()
    {
        var text = new StringBuilder();
        foreach (var folder in Watched)
        {
            var path = Path.Combine(plansRootPath, folder);
            text.Append(Directory.Exists(path) ? Directory.GetLastWriteTimeUtc(path).Ticks : 0).Append(';');
        }

        return text.ToString();
    }

    /// <summary>Which plans are in which folder, and which records were written when.</summary>
    private string Signature()
    {
        var text = new StringBuilder();
        foreach (var folder in Watched)
        {
            var path = Path.Combine(plansRootPath, folder);
            if (!Directory.Exists(path))
            {
                continue;
            }

            try
            {
                foreach (var file in new DirectoryInfo(path).EnumerateFiles().OrderBy(file => file.Name, StringComparer.Ordinal))
                {
                    if (!file.Name.EndsWith(".tmp", StringComparison.Ordinal))
                    {
                        text.Append(folder).Append('/').Append(file.Name).Append('@').Append(file.LastWriteTimeUtc.Ticks).Append('\n');
                    }
                }
            }
            catch (IOException)
            {
                // A folder deleted or renamed mid-listing: the next tick sees the settled state.
            }
        }

        return text.ToString();
    }
}
