using System.Diagnostics;
using McpPlanServer.EndToEnd.Support;

namespace McpPlanServer.EndToEnd.Reliability;

/// <summary>Faults a long session meets: each gives a clear error, loses nothing, and service resumes when it clears.</summary>
public sealed class FaultTests
{
    [Fact]
    public async Task A_full_disk_refuses_writes_clearly_keeps_every_plan_and_service_resumes_when_space_is_freed()
    {
        using var repository = await TestRepository.CreateAsync();
        Directory.CreateDirectory(repository.PlansRoot);
        var mounted = await Run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", repository.PlansRoot);
        Assert.SkipWhen(mounted != 0, "mounting a small tmpfs is not permitted here");
        try
        {
            await using var planner = await ServerSession.StartAsync(repository, "planner");
            var written = new List<string>();
            string? refusal = null;
            for (var i = 0; i < 200 && refusal is null; i++)
            {
                var id = $"plan-{i}";
                var result = await planner.CallAsync("write_plan", new { plan_id = id, text = SamplePlans.Greeting(new string('x', 4_000)) });
                if (result.IsError == true)
                {
                    refusal = ServerSession.Text(result);
                }
                else
                {
                    written.Add(id);
                }
            }

            Assert.NotNull(refusal);
            Assert.Contains("disk_full", refusal);
            Assert.Contains("Free some space", refusal);
            Assert.NotEmpty(written);
            foreach (var id in written)
            {
                var read = await planner.CallOkAsync("read_plan", new { plan_id = id });
                Assert.Equal(SamplePlans.Greeting(new string('x', 4_000)), read.GetProperty("text").GetString());
            }

            Assert.Equal(0, await Run("mount", "-o", "remount,size=8m", repository.PlansRoot));
            await planner.CallOkAsync("write_plan", new { plan_id = "after-the-fault", text = SamplePlans.Greeting() });
            Assert.Equal(0, (await repository.CliAsync("status")).ExitCode);
            var report = InvariantChecker.Check(repository.Root);
            Assert.True(report.Holds, report.ToString());
        }
        finally
        {
            await Run("umount", "-l", repository.PlansRoot);
        }
    }

    [Fact]
    public async Task The_plans_root_deleted_under_a_running_server_gives_clear_answers_and_service_resumes()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await planner.CallOkAsync("write_plan", new { plan_id = "before", text = SamplePlans.Greeting() });

        Directory.Delete(repository.PlansRoot, recursive: true);

        var gone = await planner.CallAsync("read_plan", new { plan_id = "before" });
        Assert.True(gone.IsError);
        Assert.Contains("plan_not_found", ServerSession.Text(gone));
        Assert.Empty((await planner.CallOkAsync("list_plans")).GetProperty("plans").EnumerateArray());
        await planner.CallOkAsync("write_plan", new { plan_id = "after", text = SamplePlans.Greeting() });
        Assert.True(File.Exists(Path.Combine(repository.PlansRoot, "Review", "after.md")));
        var report = InvariantChecker.Check(repository.Root);
        Assert.True(report.Holds, report.ToString());
    }

    [Fact]
    public async Task A_held_index_lock_refuses_commit_step_as_busy_and_the_commit_works_once_it_is_released()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var implementer = await ImplementerWithApprovedPlanAsync(repository);
        var lockFile = Path.Combine(repository.Root, ".git", "index.lock");
        await File.WriteAllTextAsync(lockFile, string.Empty, TestContext.Current.CancellationToken);
        var head = await repository.GitAsync("rev-parse", "HEAD");

        var busy = await implementer.CallAsync("commit_step", new { plan_id = "greeting", step = 1, message = "greeting" });
        Assert.True(busy.IsError);
        Assert.Contains("repository_busy", ServerSession.Text(busy));
        Assert.True(File.Exists(lockFile), "the lock is never deleted by mcpplan");
        Assert.Equal(head, await repository.GitAsync("rev-parse", "HEAD"));

        File.Delete(lockFile);
        await implementer.CallOkAsync("commit_step", new { plan_id = "greeting", step = 1, message = "greeting" });
        var report = InvariantChecker.Check(repository.Root);
        Assert.True(report.Holds, report.ToString());
    }

    [Fact]
    public async Task Head_moved_by_another_process_between_steps_loses_nothing()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var implementer = await ImplementerWithApprovedPlanAsync(repository);
        await implementer.CallOkAsync("commit_step", new { plan_id = "greeting", step = 1, message = "step one" });

        repository.WriteFile("other.txt", "someone else\n");
        await repository.GitAsync("add", "other.txt");
        await repository.GitAsync("commit", "-q", "-m", "someone else's commit");
        repository.WriteFile("tests/greeting_test.sh", "expect Hello, Ada!\n");
        await implementer.CallOkAsync("commit_step", new { plan_id = "greeting", step = 2, message = "step two", paths = new[] { "tests/greeting_test.sh" } });

        var log = (await repository.GitAsync("log", "--format=%s")).Trim().Split('\n');
        Assert.Equal(["step two", "someone else's commit", "step one", "initial"], log);
        var report = InvariantChecker.Check(repository.Root);
        Assert.True(report.Holds, report.ToString());
    }

    /// <summary>An implementer server on a repository whose plan 'greeting' is approved and whose step 1 change is made.</summary>
    private static async Task<ServerSession> ImplementerWithApprovedPlanAsync(TestRepository repository)
    {
        await using (var planner = await ServerSession.StartAsync(repository, "planner"))
        {
            await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        }

        Assert.Equal(0, (await repository.ApproveAsync("greeting")).ExitCode);
        repository.WriteFile("src/greeting.txt", "Hello, {name}!\n");
        return await ServerSession.StartAsync(repository, "implementer");
    }

    private static async Task<int> Run(string command, params string[] arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            await process.WaitForExitAsync();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }
}
