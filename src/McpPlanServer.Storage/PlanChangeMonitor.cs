using System.Text;

namespace McpPlanServer.Storage;

/// <summary>
/// Notices when plans change — including changes made by another process or a person's <c>mv</c> — by polling the
/// modification times of the state folders and the records folder (a move or an atomic record write changes them).
/// Only when one changed does it list the folders, so idle cost stays a few stat calls per tick. With
/// <c>watch</c>, a file-system watcher wakes it at once and the poll remains the fallback (watchers can overflow or
/// miss events on network file systems); the MCP server leaves it off to keep its start-up small.
/// </summary>
public sealed class PlanChangeMonitor(string plansRootPath, TimeSpan interval, bool watch = false) : IPlanChangeSource
{
    private static readonly string[] Watched = ["Review", "Active", "Completed", ".records"];
    private static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(25);

    public Task RunAsync(Func<CancellationToken, Task> onChange, CancellationToken cancellationToken) =>
        RunWithChangesAsync((_, token) => onChange(token), cancellationToken);

    /// <summary>Each change comes with the files whose listing line differs (appeared, went, or a new last-write time), from
    /// the listings themselves: a watcher event that was missed or overflowed is still attributed when the poll sees it.</summary>
    public async Task RunWithChangesAsync(Func<PlanChanges, CancellationToken, Task> onChange, CancellationToken cancellationToken)
    {
        var stamp = Stamp();
        var signature = Signature();
        using var wake = new SemaphoreSlim(0, 1);
        using var watcher = watch ? StartWatcher(wake) : null;
        using var timer = new PeriodicTimer(interval);
        var tick = timer.WaitForNextTickAsync(cancellationToken).AsTask();
        var woken = wake.WaitAsync(cancellationToken);
        while (true)
        {
            var first = await Task.WhenAny(tick, woken);
            var byWatcher = first == woken;
            if (byWatcher)
            {
                await woken;

                // A write is a burst of events (temp file, rename, record, journal): settle briefly, check once.
                await Task.Delay(SettleTime, cancellationToken);
                if (wake.CurrentCount > 0)
                {
                    await wake.WaitAsync(cancellationToken);
                }

                woken = wake.WaitAsync(cancellationToken);
            }
            else
            {
                if (!await tick)
                {
                    return;
                }

                tick = timer.WaitForNextTickAsync(cancellationToken).AsTask();
            }

            cancellationToken.ThrowIfCancellationRequested();
            var nextStamp = Stamp();

            // A text edited in place leaves the folder times alone: the watcher's event is the only hint, so it skips the shortcut.
            if (nextStamp == stamp && !byWatcher)
            {
                continue;
            }

            stamp = nextStamp;
            var nextSignature = Signature();
            if (nextSignature != signature)
            {
                var changes = Differences(signature, nextSignature);
                signature = nextSignature;
                await onChange(changes, cancellationToken);
            }
        }
    }

    private FileSystemWatcher? StartWatcher(SemaphoreSlim wake)
    {
        if (!Directory.Exists(plansRootPath))
        {
            return null;
        }

        try
        {
            var watcher = new FileSystemWatcher(plansRootPath)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            };
            void Wake(object? sender, EventArgs args)
            {
                try
                {
                    wake.Release();
                }
                catch (SemaphoreFullException)
                {
                    // Already signalled: one check covers every event that arrived before it.
                }
                catch (ObjectDisposedException)
                {
                }
            }

            watcher.Changed += Wake;
            watcher.Created += Wake;
            watcher.Deleted += Wake;
            watcher.Renamed += Wake;
            watcher.Error += Wake;
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (IOException)
        {
            // Out of inotify watches, or an unsupported file system: the poll alone still sees every change.
            return null;
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

    /// <summary>The files whose line is in one signature and not the other.</summary>
    private static PlanChanges Differences(string before, string after)
    {
        var lines = before.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        lines.SymmetricExceptWith(after.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        return PlanChanges.Of(lines.Select(line => line[..line.LastIndexOf('@')]));
    }

    /// <summary>Which plans are in which folder, and which files were written when.</summary>
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
