using System.Text.Json;
using McpPlanServer.EndToEnd.Support;

namespace McpPlanServer.EndToEnd;

/// <summary>
/// A planner server killed with SIGKILL in the middle of revising a plan (MCPPLAN_FAULT), then the next start:
/// the plan holds exactly the old or the new text, and recovery removes temp files and cuts a torn journal tail.
/// </summary>
public sealed class CrashTests
{
    private static readonly string OldText = SamplePlans.Greeting();
    private static readonly string NewText = SamplePlans.Greeting(" Version 2.");

    // The create passes (text write, record write, journal append); the revision's write named by the skip count dies.
    [Theory]
    [InlineData("atomic-write:partial-temp", 2, "old", true, false)]
    [InlineData("atomic-write:before-rename", 2, "old", true, false)]
    [InlineData("atomic-write:partial-temp", 3, "new", true, false)]
    [InlineData("atomic-write:before-rename", 3, "new", true, false)]
    [InlineData("journal:torn-append", 1, "new", false, true)]
    public async Task A_writer_killed_mid_write_leaves_the_old_or_the_new_text_and_the_next_start_recovers(
        string point, int skip, string expected, bool leavesTemp, bool tearsJournal)
    {
        using var repository = await TestRepository.CreateAsync();
        var environment = new Dictionary<string, string?> { ["MCPPLAN_FAULT"] = point, ["MCPPLAN_FAULT_SKIP"] = skip.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var planPath = Path.Combine(repository.PlansRoot, "Review", "greeting.md");

        var planner = await ServerSession.StartAsync(repository, "planner", environment: environment);
        try
        {
            var created = await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = OldText });
            Assert.Equal(1, created.GetProperty("text_revision").GetInt32());

            await Assert.ThrowsAnyAsync<Exception>(() => planner.CallAsync("write_plan", new { plan_id = "greeting", text = NewText, expected_revision = 1 }));
        }
        finally
        {
            try
            {
                await planner.DisposeAsync();
            }
            catch (Exception error) when (error is IOException or InvalidOperationException or OperationCanceledException)
            {
                // The server is already dead.
            }
        }

        Assert.Equal(expected == "old" ? OldText : NewText, File.ReadAllText(planPath));
        Assert.Equal(leavesTemp, TempFiles(repository).Count > 0);
        Assert.Equal(tearsJournal, !File.ReadAllText(JournalPath(repository)).EndsWith('\n'));

        var status = await repository.CliAsync("status");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("greeting", status.Output);
        Assert.Empty(TempFiles(repository));
        var lines = File.ReadAllLines(JournalPath(repository));
        Assert.All(lines, line => JsonDocument.Parse(line).Dispose());
        Assert.EndsWith("\n", File.ReadAllText(JournalPath(repository)));
        var log = await repository.CliAsync("log");
        Assert.True(log.ExitCode == 0, log.ToString());
        Assert.Contains("created", log.Output);

        await using var restarted = await ServerSession.StartAsync(repository, "planner");
        var plan = await restarted.CallOkAsync("read_plan", new { plan_id = "greeting" });
        var revision = plan.GetProperty("text_revision").GetInt32();
        var again = await restarted.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting(" Version 3."), expected_revision = revision });
        Assert.Equal(revision + 1, again.GetProperty("text_revision").GetInt32());
        Assert.Empty(TempFiles(repository));
    }

    private static string JournalPath(TestRepository repository) => Path.Combine(repository.PlansRoot, "journal.jsonl");

    private static List<string> TempFiles(TestRepository repository) =>
        Directory.EnumerateFiles(repository.PlansRoot, "*.tmp", SearchOption.AllDirectories).ToList();
}
