using System.Text.Json;
using McpPlanServer.EndToEnd.Support;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpPlanServer.EndToEnd.Reliability;

/// <summary>
/// Sustained load: one planner and two implementer servers plus the owner's CLI work one repository through real
/// stdio clients for a set time (MCPPLAN_SOAK_SECONDS, 60 s by default), doing random valid and invalid
/// operations; afterwards the invariant checker runs. Seeded (MCPPLAN_SOAK_SEED) so a failure can be replayed.
/// </summary>
[Trait("Speed", "Long")]
public sealed class SoakTests(ITestOutputHelper output)
{
    private static readonly string[] Hostile = ["../x", "", "CON", "a\u0000b", new string('a', 200), "/etc/passwd"];

    [Fact]
    public async Task Two_roles_three_servers_and_the_cli_work_for_a_minute_and_nothing_is_lost()
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("MCPPLAN_SOAK_SECONDS"), out var configured) ? configured : 60;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("MCPPLAN_SOAK_SEED"), out var configuredSeed) ? configuredSeed : Environment.TickCount;
        output.WriteLine($"soak: {seconds} s, seed {seed}");
        using var repository = await TestRepository.CreateAsync();
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await using var implementerA = await ServerSession.StartAsync(repository, "implementer");
        await using var implementerB = await ServerSession.StartAsync(repository, "implementer");
        var tally = new OperationTally();
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        var planCounter = 0;

        async Task Run(string what, Func<Task<bool>> operation)
        {
            tally.Attempt();
            try
            {
                if (await operation())
                {
                    tally.Success();
                }
                else
                {
                    tally.Refusal();
                }
            }
            catch (McpProtocolException)
            {
                tally.Refusal();
            }
            catch (Exception error)
            {
                tally.Failure($"{what}: {error.GetType().Name}: {error.Message}");
            }
        }

        static bool Ok(CallToolResult result)
        {
            var text = ServerSession.Text(result);
            if (text.Contains("failed inside the server", StringComparison.Ordinal))
            {
                throw new InvalidOperationException(text);
            }

            return result.IsError != true;
        }

        async Task PlannerLoop(Random random)
        {
            while (DateTime.UtcNow < deadline)
            {
                var choice = random.Next(6);
                if (choice == 0)
                {
                    var id = $"soak-{Interlocked.Increment(ref planCounter)}";
                    await Run("write_plan", async () => Ok(await planner.CallAsync("write_plan", new { plan_id = id, text = SamplePlans.Greeting() })));
                }
                else if (choice == 1)
                {
                    var id = Hostile[random.Next(Hostile.Length)];
                    await Run("write_plan hostile", async () => Ok(await planner.CallAsync("write_plan", new { plan_id = id, text = SamplePlans.PromptInjection })));
                }
                else if (choice == 2)
                {
                    await Run("list_plans", async () => Ok(await planner.CallAsync("list_plans")));
                }
                else
                {
                    var plans = await planner.CallOkAsync("list_plans");
                    foreach (var plan in plans.GetProperty("plans").EnumerateArray())
                    {
                        var id = plan.GetProperty("id").GetString()!;
                        switch (plan.GetProperty("status").GetString())
                        {
                            case "blocked":
                                await Run("answer_blocker", async () =>
                                {
                                    var read = await planner.CallOkAsync("read_plan", new { plan_id = id });
                                    var open = read.GetProperty("blockers").EnumerateArray().Where(blocker => blocker.GetProperty("open").GetBoolean()).ToList();
                                    return open.Count > 0 && Ok(await planner.CallAsync("answer_blocker", new { plan_id = id, blocker_id = open[0].GetProperty("id").GetInt32(), answer = "Go ahead." }));
                                });
                                break;
                            case "in_review":
                                var score = random.Next(2) == 0 ? 95 : 60;
                                await Run("submit_review", async () => Ok(await planner.CallAsync("submit_review", new
                                {
                                    plan_id = id,
                                    scores = new { architecture = score, code_quality = score, testing = score, performance = score, security = score },
                                    summary = "soak review",
                                    criteria = SamplePlans.GreetingCriteriaMet,
                                })));
                                break;
                        }
                    }
                }
            }
        }

        async Task ImplementerLoop(ServerSession implementer, string name, Random random)
        {
            var fileCounter = 0;
            while (DateTime.UtcNow < deadline)
            {
                var plans = await implementer.CallOkAsync("list_plans", new { state = "active" });
                var active = plans.GetProperty("plans").EnumerateArray().Select(plan => plan.GetProperty("id").GetString()!).ToList();
                if (active.Count == 0)
                {
                    await Task.Delay(50);
                    continue;
                }

                var id = active[random.Next(active.Count)];
                var choice = random.Next(10);
                if (choice == 0)
                {
                    await Run("report_blocker", async () => Ok(await implementer.CallAsync("report_blocker", new { plan_id = id, question = $"{name}: which greeting?" })));
                }
                else if (choice == 1)
                {
                    await Run("submit_for_review", async () => Ok(await implementer.CallAsync("submit_for_review", new { plan_id = id })));
                }
                else if (choice == 2)
                {
                    await Run("commit_step hostile", async () => Ok(await implementer.CallAsync("commit_step", new { plan_id = id, step = 1, message = "x", paths = new[] { "../outside.txt", ".git/config" } })));
                }
                else
                {
                    await Run("commit_step", async () =>
                    {
                        // The owner may have archived the plan since it was listed: that refusal is expected, as any other.
                        var read = await implementer.CallAsync("read_active_plan", new { plan_id = id });
                        if (!Ok(read))
                        {
                            return false;
                        }

                        var plan = read.StructuredContent ?? throw new InvalidOperationException("read_active_plan returned no structured content");

                        if (plan.GetProperty("next_step").ValueKind != JsonValueKind.Object)
                        {
                            return false;
                        }

                        var step = plan.GetProperty("next_step").GetProperty("number").GetInt32();
                        var file = $"src/{id}/{name}-{++fileCounter}.txt";
                        repository.WriteFile(file, $"{name} {fileCounter}\n");
                        return Ok(await implementer.CallAsync("commit_step", new { plan_id = id, step, message = $"{name} step {step}", paths = new[] { file }, deviation_reason = "soak" }));
                    });
                }
            }
        }

        async Task OwnerLoop(Random random)
        {
            while (DateTime.UtcNow < deadline)
            {
                var status = await repository.CliAsync("status", "--state", "review");
                var ids = status.Output.Split('\n').Skip(1).Select(line => line.Split(' ')[0]).Where(id => id.StartsWith("soak-", StringComparison.Ordinal)).ToList();
                if (ids.Count > 0)
                {
                    var id = ids[random.Next(ids.Count)];
                    await Run("approve", async () =>
                    {
                        var result = await repository.ApproveAsync(id);
                        return result.ExitCode switch
                        {
                            0 => true,
                            1 => false,
                            _ => throw new InvalidOperationException(result.ToString()),
                        };
                    });
                }

                var verified = await repository.CliAsync("status", "--state", "active");
                foreach (var line in verified.Output.Split('\n').Where(line => line.Contains(" verified ", StringComparison.Ordinal)))
                {
                    await Run("complete", async () => (await repository.CliAsync("complete", line.Split(' ')[0])).ExitCode == 0);
                }

                await Task.Delay(random.Next(50, 250));
            }
        }

        await Task.WhenAll(
            PlannerLoop(new Random(seed)),
            ImplementerLoop(implementerA, "a", new Random(seed + 1)),
            ImplementerLoop(implementerB, "b", new Random(seed + 2)),
            OwnerLoop(new Random(seed + 3)));

        var report = InvariantChecker.Check(repository.Root);
        output.WriteLine(tally.Summary(report.Checked));
        foreach (var failure in tally.Unexpected.Take(20))
        {
            output.WriteLine("unexpected: " + failure);
        }

        Assert.True(report.Holds, report.ToString());
        Assert.Empty(tally.Unexpected);
        Assert.True(tally.Succeeded > 20, tally.Summary(report.Checked));
        Assert.True(tally.Refused > 0, tally.Summary(report.Checked));
    }
}
