using System.Text;

namespace McpPlanServer.Storage;

/// <summary>
/// Notices when plans change — including changes made by another process or a person's <c>mv</c> — by polling the
/// modification times of the state folders and the records folder (a move or an atomic record write changes them).
/// Only a folder whose time moved is listed again, so idle cost stays a few stat calls per tick. With <c>watch</c>, a
/// file-system watcher wakes it at once and the files its events name are looked at one by one (a stat each, the same
/// cost with 10 or 10,000 plans); the poll remains the fallback for what the watcher misses (a folder whose time moved
/// with no event naming it is listed again, one poll later than without a watcher; an overflow lists everything). The MCP server leaves the watcher off to
/// keep its start-up small.
/// </summary>
public sealed class PlanChangeMonitor(string plansRootPath, TimeSpan interval, bool watch = false) : IPlanChangeSource
{
    private static readonly string[] Watched = ["Review", "Active", "Completed", ".records"];
    private static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(25);

    public Task RunAsync(Func<CancellationToken, Task> onChange, CancellationToken cancellationToken) =>
        RunWithChangesAsync((_, token) => onChange(token), cancellationToken);

    /// <summary>Each change comes with the files whose listing line differs (appeared, went, or a new last-write time), from
    /// the listing itself: a watcher event that was missed or overflowed is still attributed when the poll sees it.</summary>
    public async Task RunWithChangesAsync(Func<PlanChanges, CancellationToken, Task> onChange, CancellationToken cancellationToken)
    {
        var events = new WatcherEvents();
        using var wake = new SemaphoreSlim(0, 1);

        // The watcher starts before the first listing, so a change made in between is either listed or named by an event.
        using var watcher = watch ? StartWatcher(wake, events) : null;
        var listing = new PlanFolderListing(plansRootPath, Watched);
        listing.ListAll();
        using var timer = new PeriodicTimer(interval);

        // Stopping disposes the timer, which ends its wait with false: a cancelled PeriodicTimer wait instead fails with an
        // exception whose stack trace it formats at once, tens of milliseconds of CPU in the Native AOT binary at every exit.
        using var stopTimer = cancellationToken.Register(timer.Dispose);
        var tick = timer.WaitForNextTickAsync(CancellationToken.None).AsTask();
        var woken = wake.WaitAsync(cancellationToken);
        while (true)
        {
            var first = await Task.WhenAny(tick, woken);
            HashSet<string> changed;
            if (first == woken)
            {
                await woken;

                // A write is a burst of events (temp file, rename, record, journal): settle briefly, check once.
                await Task.Delay(SettleTime, cancellationToken);
                if (wake.CurrentCount > 0)
                {
                    await wake.WaitAsync(cancellationToken);
                }

                woken = wake.WaitAsync(cancellationToken);
                cancellationToken.ThrowIfCancellationRequested();
                var times = listing.FolderTimes();
                var paths = events.Take(out var overflowed);
                changed = overflowed ? listing.ListAll() : listing.Apply(paths, times);
            }
            else
            {
                if (!await tick)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    return;
                }

                tick = timer.WaitForNextTickAsync(CancellationToken.None).AsTask();
                cancellationToken.ThrowIfCancellationRequested();
                changed = listing.Poll(patient: watcher is not null);
            }

            if (changed.Count > 0)
            {
                await onChange(PlanChanges.Of(changed), cancellationToken);
            }
        }
    }

    private FileSystemWatcher? StartWatcher(SemaphoreSlim wake, WatcherEvents events)
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
                switch (args)
                {
                    case RenamedEventArgs renamed:
                        events.Add(renamed.OldFullPath);
                        events.Add(renamed.FullPath);
                        break;
                    case FileSystemEventArgs named:
                        events.Add(named.FullPath);
                        break;
                    default:
                        // An error (the kernel's queue overflowed): events were lost, so everything is listed again.
                        events.Overflowed();
                        break;
                }

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
}
