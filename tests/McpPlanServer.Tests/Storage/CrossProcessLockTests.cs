using System.Diagnostics;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;

namespace McpPlanServer.Tests.Storage;

public sealed class CrossProcessLockTests
{
    private const int IncrementsPerThread = 200;

    [Fact]
    public async Task Two_threads_incrementing_a_counter_file_under_the_lock_lose_no_update()
    {
        using var folder = new TempFolder();
        var lockPath = folder.PathOf(".lock");
        var counter = folder.Write("counter.txt", "0");

        void Increment()
        {
            for (var i = 0; i < IncrementsPerThread; i++)
            {
                using (CrossProcessLock.Acquire(lockPath, TimeSpan.FromSeconds(30), CancellationToken.None))
                {
                    var value = int.Parse(File.ReadAllText(counter), System.Globalization.CultureInfo.InvariantCulture);
                    Thread.Yield();
                    File.WriteAllText(counter, (value + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }

        // Two dedicated threads, as tasks: an exception in one fails this test instead of crashing the test process
        // (an unhandled exception on a bare thread ends the run with xUnit's [FATAL ERROR]).
        await Task.WhenAll(
            Task.Factory.StartNew(Increment, TestContext.Current.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default),
            Task.Factory.StartNew(Increment, TestContext.Current.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default));

        Assert.Equal((2 * IncrementsPerThread).ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(counter));
    }

    [Fact]
    public void A_lock_held_by_another_process_makes_acquire_refuse_with_busy_and_succeed_once_released()
    {
        Assert.True(File.Exists("/usr/bin/flock") || File.Exists("/bin/flock"), "util-linux flock is needed for this test");
        using var folder = new TempFolder();
        var lockPath = folder.PathOf(".lock");

        // flock holds the lock until its stdin closes: no timing, the test decides when it is released.
        var start = new ProcessStartInfo("flock", ["-x", lockPath, "sh", "-c", "echo locked; cat >/dev/null"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var holder = Process.Start(start)!;
        try
        {
            Assert.Equal("locked", holder.StandardOutput.ReadLine());

            var refusal = Assert.Throws<PlanRefusedException>(() => CrossProcessLock.Acquire(lockPath, TimeSpan.FromMilliseconds(200), CancellationToken.None));
            Assert.Equal("busy", refusal.Code);
            Assert.Contains(lockPath, refusal.Message);
            Assert.Contains("Retry", refusal.Message);
        }
        finally
        {
            holder.StandardInput.Close();
            holder.WaitForExit();
        }

        Assert.Equal(0, holder.ExitCode);
        using (CrossProcessLock.Acquire(lockPath, TimeSpan.FromMilliseconds(200), CancellationToken.None))
        {
            Assert.True(File.Exists(lockPath));
        }
    }

    [Fact]
    public void Acquire_gives_way_to_a_cancelled_token()
    {
        using var folder = new TempFolder();
        var lockPath = folder.PathOf(".lock");
        using var held = CrossProcessLock.Acquire(lockPath, TimeSpan.FromSeconds(1), CancellationToken.None);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => CrossProcessLock.Acquire(lockPath, TimeSpan.FromSeconds(30), cancelled.Token));
    }

    [Fact]
    public void A_lock_file_in_a_missing_folder_is_refused_with_folder_missing()
    {
        using var folder = new TempFolder();

        var refusal = Assert.Throws<PlanRefusedException>(() => CrossProcessLock.Acquire(folder.PathOf(Path.Combine("gone", ".lock")), TimeSpan.FromSeconds(1), CancellationToken.None));

        Assert.Equal("folder_missing", refusal.Code);
    }
}
