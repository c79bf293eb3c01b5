using System.Diagnostics;
using System.Text.Json;
using McpPlanServer.EndToEnd.Support;

namespace McpPlanServer.EndToEnd;

/// <summary>Two real planner servers and many owner CLI processes on one repository at once.</summary>
[Trait("Speed", "Long")]
public sealed class ConcurrencyTests(ITestOutputHelper output)
{
    private const int OperationsPerProcess = 200;
    private const int RevisionsPerPlan = 10;

    [Fact]
    public async Task Two_servers_making_200_changes_each_at_once_leave_whole_plans_no_temp_files_and_one_journal_entry_per_success()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var first = await ServerSession.StartAsync(repository, "planner");
        await using var second = await ServerSession.StartAsync(repository, "planner");
        var clock = Stopwatch.StartNew();

        var results = await Task.WhenAll(RunAsync(repository, first, "a"), RunAsync(repository, second, "b"));

        clock.Stop();
        output.WriteLine($"{2 * OperationsPerProcess} operations by two servers and their CLI calls in {clock.Elapsed.TotalSeconds:0.0} s");
        var all = results.SelectMany(result => result.Failures).ToList();
        Assert.True(all.Count == 0, string.Join("\n", all));

        foreach (var result in results)
        {
            Assert.Equal(OperationsPerProcess, result.ServerOk + result.CliOk);
            foreach (var id in result.Plans)
            {
                var plan = await first.CallOkAsync("read_plan", new { plan_id = id });
                Assert.Equal(id, plan.GetProperty("id").GetString());
            }
        }

        Assert.Empty(Directory.EnumerateFiles(repository.PlansRoot, "*.tmp", SearchOption.AllDirectories));

        var log = await repository.CliAsync("log");
        Assert.True(log.ExitCode == 0, log.ToString());

        var entries = JournalLines(repository);
        foreach (var (prefix, result) in new[] { ("a-", results[0]), ("b-", results[1]) })
        {
            var ok = entries.Where(entry => entry.Outcome == "ok" && entry.PlanId.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            Assert.Equal(result.ServerOk, ok.Count(entry => entry.Actor == "planner"));
            Assert.Equal(result.CliOk, ok.Count(entry => entry.Actor == "owner"));
        }
    }

    [Fact]
    public async Task Two_servers_revising_the_same_plan_from_the_same_revision_lose_no_update()
    {
        const int Rounds = 40;
        using var repository = await TestRepository.CreateAsync();
        await using var first = await ServerSession.StartAsync(repository, "planner");
        await using var second = await ServerSession.StartAsync(repository, "planner");
        await first.CallOkAsync("write_plan", new { plan_id = "shared", text = SamplePlans.Greeting() });
        var successes = 0;

        for (var round = 1; round <= Rounds; round++)
        {
            var read = await Task.WhenAll(
                first.CallOkAsync("read_plan", new { plan_id = "shared" }),
                second.CallOkAsync("read_plan", new { plan_id = "shared" }));
            var revision = read[0].GetProperty("text_revision").GetInt32();
            Assert.Equal(revision, read[1].GetProperty("text_revision").GetInt32());

            var writes = await Task.WhenAll(
                first.CallAsync("write_plan", new { plan_id = "shared", text = SamplePlans.Greeting($" Round {round} by the first."), expected_revision = revision }),
                second.CallAsync("write_plan", new { plan_id = "shared", text = SamplePlans.Greeting($" Round {round} by the second."), expected_revision = revision }));

            var won = writes.Count(result => result.IsError != true);
            Assert.Equal(1, won);
            var lost = Assert.Single(writes, result => result.IsError == true);
            Assert.Contains("stale_revision", ServerSession.Text(lost));
            successes += won;
        }

        var final = await first.CallOkAsync("read_plan", new { plan_id = "shared" });
        Assert.Equal(successes + 1, final.GetProperty("text_revision").GetInt32());
        Assert.Equal(Rounds, successes);
        var okWrites = JournalLines(repository).Count(entry => entry.Outcome == "ok" && entry.PlanId == "shared");
        Assert.Equal(successes + 1, okWrites);
    }

    private static List<(string Actor, string Outcome, string PlanId)> JournalLines(TestRepository repository)
    {
        var lines = File.ReadAllLines(Path.Combine(repository.PlansRoot, "journal.jsonl"));
        return lines.Select(line =>
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            return (
                root.GetProperty("actor").GetString()!,
                root.GetProperty("outcome").GetString()!,
                root.TryGetProperty("planId", out var id) ? id.GetString() ?? string.Empty : string.Empty);
        }).ToList();
    }

    /// <summary>Per plan: create, revise ten times, approve (CLI), abandon (CLI) — thirteen changes — until 200 are done.</summary>
    private static async Task<WorkerResult> RunAsync(TestRepository repository, ServerSession server, string prefix)
    {
        var result = new WorkerResult();
        var plan = 0;
        while (result.Attempted < OperationsPerProcess)
        {
            var id = $"{prefix}-plan-{++plan}";
            result.Plans.Add(id);
            await result.ServerAsync($"create {id}", server.CallAsync("write_plan", new { plan_id = id, text = SamplePlans.Greeting() }));
            for (var revision = 1; revision <= RevisionsPerPlan && result.Attempted < OperationsPerProcess; revision++)
            {
                var read = await server.CallOkAsync("read_plan", new { plan_id = id });
                var current = read.GetProperty("text_revision").GetInt32();
                await result.ServerAsync($"revise {id}", server.CallAsync("write_plan", new { plan_id = id, text = SamplePlans.Greeting($" Revision {revision}."), expected_revision = current }));
            }

            if (result.Attempted < OperationsPerProcess)
            {
                await result.CliAsync($"approve {id}", repository.ApproveAsync(id));
            }

            if (result.Attempted < OperationsPerProcess)
            {
                await result.CliAsync($"abandon {id}", repository.CliAsync("abandon", id, "--reason", "concurrency test"));
            }
        }

        return result;
    }
}
