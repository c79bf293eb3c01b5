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
        await File.WriteAllTextAsync(plan, "# Plan: A\n", TestContext.Current.CancellationToken);
        File.SetLastWriteTimeUtc(plan, DateTime.UtcNow.AddMinutes(-5));

        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var monitor = new PlanChangeMonitor(folder.Root, TimeSpan.FromHours(1), watch: true);
        // RunAsync takes its first signature and starts the watcher before its first await: no wait is needed (or guessed).
        var running = monitor.RunAsync(_ => { changed.TrySetResult(); return Task.CompletedTask; }, stop.Token);

        await using (var stream = new FileStream(plan, FileMode.Open, FileAccess.Write))
        {
            stream.Seek(0, SeekOrigin.End);
            await stream.WriteAsync("more\n"u8.ToArray(), TestContext.Current.CancellationToken);
        }

        var first = await Task.WhenAny(changed.Task, Task.Delay(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Same(changed.Task, first);
    }

    /// <summary>The poll alone (no watcher: an event that never came) still names the files that changed, from its listings.</summary>
    [Fact]
    public async Task A_change_the_watcher_missed_is_reported_by_the_poll_with_the_files_it_touched()
    {
        using var folder = new TempFolder();
        var review = Directory.CreateDirectory(Path.Combine(folder.Root, "Review")).FullName;
        var active = Directory.CreateDirectory(Path.Combine(folder.Root, "Active")).FullName;
        var records = Directory.CreateDirectory(Path.Combine(folder.Root, ".records")).FullName;
        await File.WriteAllTextAsync(Path.Combine(review, "a.md"), "# Plan: A\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(review, "b.md"), "# Plan: B\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(records, "b.json"), "{}", TestContext.Current.CancellationToken);

        var reported = new HashSet<string>(StringComparer.Ordinal);
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        string[] expected = ["Review/a.md", "Active/a.md", ".records/b.json"];
        using var stop = new CancellationTokenSource();
        var monitor = new PlanChangeMonitor(folder.Root, TimeSpan.FromMilliseconds(50), watch: false);
        var running = monitor.RunWithChangesAsync(
            (changes, _) =>
            {
                Assert.NotNull(changes.Paths);
                lock (reported)
                {
                    reported.UnionWith(changes.Paths);
                    if (expected.All(reported.Contains))
                    {
                        all.TrySetResult();
                    }
                }

                return Task.CompletedTask;
            },
            stop.Token);

        File.Move(Path.Combine(review, "a.md"), Path.Combine(active, "a.md"));
        await File.WriteAllTextAsync(Path.Combine(records, "b.json.tmp"), "{\"x\":1}", TestContext.Current.CancellationToken);
        File.Move(Path.Combine(records, "b.json.tmp"), Path.Combine(records, "b.json"), overwrite: true);

        var first = await Task.WhenAny(all.Task, Task.Delay(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Same(all.Task, first);
        lock (reported)
        {
            Assert.Equal(expected.Order(StringComparer.Ordinal), reported.Order(StringComparer.Ordinal));
        }
    }
}
