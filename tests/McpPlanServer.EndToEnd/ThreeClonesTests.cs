using McpPlanServer.EndToEnd.Support;
using McpPlanServer.Tests.Support;

namespace McpPlanServer.EndToEnd;

/// <summary>
/// Issue 19's team across machines, simulated as three clones sharing one PostgreSQL database and one bare remote: the
/// planner and the person on the first, an implementer on each of the other two. Real servers, real git, real database:
/// the two implementers claim at the same moment and never hold the same plan, every step commit reaches the remote, the
/// planner's review on the first clone sees the other machines' commits after its fetch, and the person's integrate from a
/// fourth clone puts every step commit on the remote's main.
/// </summary>
public sealed class ThreeClonesTests
{
    private static readonly object Scores95 = new { architecture = 95, code_quality = 95, testing = 95, performance = 95, security = 95 };

    [Fact]
    [Trait("Speed", "Long")]
    public async Task A_planner_and_two_implementers_on_three_clones_share_plans_and_claims_through_the_database_and_the_person_integrates_from_another()
    {
        var connection = PostgresCluster.Shared.CreateDatabase();
        var bare = Path.Combine(Path.GetTempPath(), "mcpplan-e2e-remote-" + Guid.NewGuid().ToString("N")[..12]);
        using var planning = await TestRepository.CreateAsync();
        try
        {
            Assert.Equal(0, (await ProcessRunner.RunAsync("git", ["init", "-q", "--bare", "-b", "main", bare], Path.GetTempPath())).ExitCode);
            planning.WriteFile(".claude/mcpplan.json", $$"""{ "pushRemote": "origin", "store": { "kind": "postgres", "connection": "{{connection}}", "repository": "team" } }""");
            await planning.GitAsync("add", ".claude/mcpplan.json");
            await planning.GitAsync("commit", "-q", "-m", "plans in PostgreSQL, code on origin");
            await planning.GitAsync("remote", "add", "origin", bare);
            await planning.GitAsync("push", "-q", "origin", "main");
            using var machineOne = await CloneOfRemoteAsync(planning, bare);
            using var machineTwo = await CloneOfRemoteAsync(planning, bare);

            await using var planner = await ServerSession.StartAsync(planning, "planner");
            await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
            await planner.CallOkAsync("write_plan", new { plan_id = "farewell", text = SamplePlans.Greeting().Replace("greeting", "farewell", StringComparison.Ordinal) });
            Assert.Equal(0, (await planning.ApproveAsync("greeting", "--by", "Ada")).ExitCode);
            Assert.Equal(0, (await planning.ApproveAsync("farewell", "--by", "Ada")).ExitCode);

            await using var builderOne = await ServerSession.StartAsync(machineOne, "implementer");
            await using var builderTwo = await ServerSession.StartAsync(machineTwo, "implementer");

            // Both claim at the same moment: the database grants each plan once.
            var claims = await Task.WhenAll(
                builderOne.CallOkAsync("read_active_plan", new { claim = true }),
                builderTwo.CallOkAsync("read_active_plan", new { claim = true }));
            var ids = claims.Select(claim => claim.GetProperty("id").GetString()!).ToArray();
            Assert.NotEqual(ids[0], ids[1]);
            Assert.Equal(["farewell", "greeting"], ids.Order(StringComparer.Ordinal));
            Assert.NotEqual(claims[0].GetProperty("claim").GetProperty("fence").GetInt64(), claims[1].GetProperty("claim").GetProperty("fence").GetInt64());
            var stolen = await builderOne.CallAsync("read_active_plan", new { plan_id = ids[1], claim = true });
            Assert.True(stolen.IsError, ServerSession.Text(stolen));
            Assert.Contains("plan_claimed", ServerSession.Text(stolen));

            var stepCommits = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var (machine, builder, id) in new[] { (machineOne, builderOne, ids[0]), (machineTwo, builderTwo, ids[1]) })
            {
                await machine.GitAsync("checkout", "-q", "-b", $"plan/{id}");
                machine.WriteFile($"src/{id}.txt", "Hello, {name}!\n");
                var first = await builder.CallOkAsync("commit_step", new { plan_id = id, step = 1, message = "Add the template", paths = new[] { $"src/{id}.txt" } });
                machine.WriteFile($"tests/{id}_test.sh", "expect: Hello, Ada!\n");
                var second = await builder.CallOkAsync("commit_step", new { plan_id = id, step = 2, message = "Add the test", paths = new[] { $"tests/{id}_test.sh" } });
                stepCommits[id] = [first.GetProperty("commit").GetString()!, second.GetProperty("commit").GetString()!];
                await builder.CallOkAsync("submit_for_review", new { plan_id = id });
            }

            foreach (var (id, commits) in stepCommits)
            {
                var remoteTip = await Git(bare, "rev-parse", $"refs/heads/plan/{id}");
                Assert.Equal(commits[1], remoteTip);
                Assert.Equal(0, (await ProcessRunner.RunAsync("git", ["--git-dir", bare, "merge-base", "--is-ancestor", commits[0], remoteTip], Path.GetTempPath())).ExitCode);

                // The planner's machine never had these commits: review_implementation fetches them before it reads.
                var evidence = await planner.CallOkAsync("review_implementation", new { plan_id = id });
                Assert.Equal(commits[0], evidence.GetProperty("steps")[0].GetProperty("commits")[0].GetProperty("sha").GetString());
                Assert.Contains("+Hello, {name}!", evidence.GetProperty("steps")[0].GetProperty("commits")[0].GetProperty("diff").GetString());
                Assert.Equal(commits[1], evidence.GetProperty("steps")[1].GetProperty("commits")[0].GetProperty("sha").GetString());
            }

            var status = await planning.CliAsync("status");
            Assert.True(status.ExitCode == 0, status.ToString());
            Assert.True(status.Output.Contains("in_review", StringComparison.Ordinal), status.Output);
            Assert.True(status.Output.Contains("pushed", StringComparison.Ordinal) && !status.Output.Contains("not pushed", StringComparison.Ordinal), status.Output);
            Assert.False(Directory.Exists(Path.Combine(planning.PlansRoot, "Active")), "the plans must live in the database");

            // The planner reviews on its clone, which has the builders' commits only on the fetched origin/plan/<id>: the
            // verdict binds to the handed-in commit, and no plan branch appears here.
            foreach (var (id, commits) in stepCommits)
            {
                var review = await planner.CallOkAsync("submit_review", new { plan_id = id, scores = Scores95, summary = "All criteria met.", criteria = SamplePlans.GreetingCriteriaMet });
                Assert.Equal("verified", review.GetProperty("verdict").GetString());
                Assert.Equal(commits[1], review.GetProperty("reviewed_commit").GetString());
            }

            Assert.Equal(string.Empty, (await planning.GitAsync("branch", "--list", "plan/*")).Trim());

            // The person integrates from a clone of their own that never had a plan branch: integrate fetches, merges the
            // verified commits from the fetched objects, and pushes main, so every step commit is on the remote's main.
            using var person = await CloneOfRemoteAsync(planning, bare);
            foreach (var id in stepCommits.Keys)
            {
                var integrated = await person.CliAsync("integrate", id, "--into", "main");
                Assert.True(integrated.ExitCode == 0, integrated.ToString());
                Assert.Contains($"Integrated '{id}'", integrated.Output, StringComparison.Ordinal);
            }

            var remoteMain = await Git(bare, "rev-parse", "refs/heads/main");
            Assert.Equal(remoteMain, (await person.GitAsync("rev-parse", "main")).Trim());
            foreach (var commit in stepCommits.Values.SelectMany(commits => commits))
            {
                Assert.Equal(0, (await ProcessRunner.RunAsync("git", ["--git-dir", bare, "merge-base", "--is-ancestor", commit, remoteMain], Path.GetTempPath())).ExitCode);
            }

            Assert.Equal(string.Empty, (await person.GitAsync("branch", "--list", "plan/*")).Trim());
            var done = await planning.CliAsync("status");
            Assert.True(done.ExitCode == 0 && !done.Output.Contains("in_review", StringComparison.Ordinal) && !done.Output.Contains("verified", StringComparison.Ordinal), done.ToString());
            var shown = await machineOne.CliAsync("show", ids[0]);
            Assert.True(shown.Output.Contains("completed", StringComparison.OrdinalIgnoreCase), shown.ToString());
        }
        finally
        {
            if (Directory.Exists(bare))
            {
                Directory.Delete(bare, recursive: true);
            }
        }
    }

    /// <summary>Another machine: a clone whose origin is the shared bare remote (the config and main come from it).</summary>
    private static async Task<TestRepository> CloneOfRemoteAsync(TestRepository first, string bare)
    {
        var machine = await TestRepository.CloneAsync(first);
        await machine.GitAsync("remote", "set-url", "origin", bare);
        await machine.GitAsync("fetch", "-q", "origin");
        return machine;
    }

    private static async Task<string> Git(string gitDirectory, params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync("git", ["--git-dir", gitDirectory, .. arguments], Path.GetTempPath());
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Output.Trim();
    }
}
