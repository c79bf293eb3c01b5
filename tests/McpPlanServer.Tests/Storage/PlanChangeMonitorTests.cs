using McpPlanServer.Storage;

namespace McpPlanServer.Tests.Storage;

public sealed class PlanChangeMonitorTests
{
    /// <summary>An edit in place changes no folder's time, so only the watcher sees it: the poll here is an hour away.</summary>
    [Fact]
    public async Task The_watcher_reports_a_text_edited_in_place_long_before_the_next_poll()
    {
        using var folder = new TempFolder();
        var review = Directory.CreateDirectory(Path.Combine(folder.Root, "Review")).FullName;
        var plan = Path.Combine(review, "a.md");
        await File.WriteAllTextAsync(plan, "# Plan: A\n");
        File.SetLastWriteTimeUtc(plan, DateTime.UtcNow.AddMinutes(-5));

        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var monitor = new PlanChangeMonitor(folder.Root, TimeSpan.FromHours(1), watch: true);
        // RunAsync takes its first signature and starts the watcher before its first await: no wait is needed (or guessed).
        var running = monitor.RunAsync(_ => { changed.TrySetResult(); return Task.CompletedTask; }, stop.Token);

        await using (var stream = new FileStream(plan, FileMode.Open, FileAccess.Write))
        {
            stream.Seek(0, SeekOrigin.End);
            await stream.WriteAsync("more\n"u8.ToArray());
        }

        var first = await Task.WhenAny(changed.Task, Task.Delay(TimeSpan.FromSeconds(10)));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Same(changed.Task, first);
    }
}
