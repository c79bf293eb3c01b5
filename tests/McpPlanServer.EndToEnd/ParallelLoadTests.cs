using System.Collections.Concurrent;
using System.Text.Json;
using McpPlanServer.EndToEnd.Support;
using ModelContextProtocol.Protocol;

namespace McpPlanServer.EndToEnd;

/// <summary>
/// Issue 11's load test, in part: eight implementer servers in eight linked worktrees race for four plans at once on one
/// repository, with plan branches on. The invariants: no plan granted twice, fences never reused, every refused commit
/// changed nothing, and every granted builder's step commits are on its plan's branch carrying its claim number.
/// </summary>
[Trait("Speed", "Long")]
public sealed class ParallelLoadTests
{
    private const int PlanCount = 4;
    private const int BuilderCount = 8;

    [Fact]
    public async Task Eight_implementers_racing_for_four_plans_get_one_plan_each_at_most_and_lose_no_commit()
    {
        using var repository = await TestRepository.CreateAsync();
        repository.WriteFile(".claude/mcpplan.json", """{ "planBranches": true }""");
        await using (var planner = await ServerSession.StartAsync(repository, "planner"))
        {
            for (var plan = 1; plan <= PlanCount; plan++)
            {
                await planner.CallOkAsync("write_plan", new { plan_id = $"part-{plan}", text = SamplePlans.Greeting().Replace("greeting", $"part{plan}", StringComparison.Ordinal) });
            }
        }

        for (var plan = 1; plan <= PlanCount; plan++)
        {
            var approved = await repository.ApproveAsync($"part-{plan}");
            Assert.True(approved.ExitCode == 0, approved.ToString());
        }

        var worktrees = new List<TestRepository>();
        var sessions = new List<ServerSession>();
        try
        {
            for (var builder = 1; builder <= BuilderCount; builder++)
            {
                worktrees.Add(await repository.AddWorktreeAsync($".claude/worktrees/builder-{builder}", $"worktree-builder-{builder}"));
            }

            // Started one after another: eight cold starts at once on a loaded two-core runner outlast the client's
            // initialize timeout. The race under test is the claims, which all go out together below.
            foreach (var worktree in worktrees)
            {
                sessions.Add(await ServerSession.StartAsync(worktree, "implementer"));
            }
            var grants = new ConcurrentBag<(int Builder, string Plan, long Fence)>();
            var refusals = new ConcurrentBag<string>();

            // Everyone claims at once; then each winner builds its plan while each loser tries to commit on a plan held by another.
            var claims = await Task.WhenAll(sessions.Select(ClaimRetryingBusyAsync));
            for (var builder = 0; builder < BuilderCount; builder++)
            {
                if (claims[builder].IsError == true)
                {
                    refusals.Add(ServerSession.Text(claims[builder]));
                    continue;
                }

                var content = claims[builder].StructuredContent!.Value;
                grants.Add((builder, content.GetProperty("id").GetString()!, content.GetProperty("claim").GetProperty("fence").GetInt64()));
            }

            Assert.Equal(PlanCount, grants.Count);
            Assert.Equal(PlanCount, grants.Select(grant => grant.Plan).Distinct().Count());
            Assert.Equal(PlanCount, grants.Select(grant => grant.Fence).Distinct().Count());
            Assert.All(refusals, refusal => Assert.Contains("no_ready_plan", refusal));

            var held = grants.ToDictionary(grant => grant.Builder);
            var mainBefore = (await repository.GitAsync("rev-parse", "main")).Trim();
            var commits = new ConcurrentBag<(string Plan, string Sha, long Fence)>();
            await Task.WhenAll(Enumerable.Range(0, BuilderCount).Select(async builder =>
            {
                var worktree = worktrees[builder];
                if (held.TryGetValue(builder, out var grant))
                {
                    var part = grant.Plan["part-".Length..];
                    worktree.WriteFile($"src/part{part}.txt", "Hello, {name}!\n");
                    var first = await CommitRetryingBusyAsync(sessions[builder], new { plan_id = grant.Plan, step = 1, message = "Create the template" });
                    commits.Add((grant.Plan, first.GetProperty("commit").GetString()!, grant.Fence));
                    worktree.WriteFile($"tests/part{part}_test.sh", "expects Hello, Ada!\n");
                    var second = await CommitRetryingBusyAsync(sessions[builder], new { plan_id = grant.Plan, step = 2, message = "Add the test" });
                    commits.Add((grant.Plan, second.GetProperty("commit").GetString()!, grant.Fence));
                    return;
                }

                var target = grants.ElementAt(builder % PlanCount).Plan;
                var headBefore = (await worktree.GitAsync("rev-parse", "HEAD")).Trim();
                worktree.WriteFile($"src/part{target["part-".Length..]}.txt", "stolen\n");
                var stolen = await sessions[builder].CallAsync("commit_step", new { plan_id = target, step = 1, message = "Take it" });
                Assert.True(stolen.IsError == true, ServerSession.Text(stolen));
                Assert.Matches("plan_claimed|wrong_branch|step_done|busy", ServerSession.Text(stolen)); // step_done: its holder committed step 1 first; busy: the lock was held past its timeout (a refusal that changes nothing, checked below)
                Assert.Equal(headBefore, (await worktree.GitAsync("rev-parse", "HEAD")).Trim());
            }));

            Assert.Equal(2 * PlanCount, commits.Count);
            Assert.Equal(mainBefore, (await repository.GitAsync("rev-parse", "main")).Trim());
            foreach (var (plan, sha, fence) in commits)
            {
                Assert.Equal(0, (await ProcessRunner.RunAsync("git", ["merge-base", "--is-ancestor", sha, $"plan/{plan}"], repository.Root)).ExitCode);
                var body = await repository.GitAsync("log", "-1", "--format=%B", sha);
                Assert.Contains($"Plan-Claim: {fence}", body);
                Assert.Contains($"Plan-Id: {plan}", body);
            }

            var claimsListing = await repository.CliAsync("claims");
            Assert.All(grants, grant => Assert.Contains(grant.Plan, claimsListing.Output));
        }
        finally
        {
            foreach (var session in sessions)
            {
                await session.DisposeAsync();
            }

            foreach (var worktree in worktrees)
            {
                worktree.Dispose();
            }
        }
    }

    /// <summary>A claim, retried when refused `busy` (the lock held past its timeout on a loaded machine; the refusal changes nothing).</summary>
    private static async Task<CallToolResult> ClaimRetryingBusyAsync(ServerSession session)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await session.CallAsync("read_active_plan", new { claim = true });
            if (result.IsError != true || attempt == 5 || !ServerSession.Text(result).Contains("(busy)", StringComparison.Ordinal))
            {
                return result;
            }
        }
    }

    /// <summary>
    /// A holder's commit_step, retried when refused `busy` (eight servers on a loaded machine can hold the plans lock
    /// past its timeout; the refusal says to retry and changes nothing): what an agent does with that answer.
    /// </summary>
    private static async Task<JsonElement> CommitRetryingBusyAsync(ServerSession session, object arguments)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await session.CallAsync("commit_step", arguments);
            if (result.IsError != true)
            {
                return result.StructuredContent!.Value;
            }

            var text = ServerSession.Text(result);
            Assert.True(attempt < 5 && text.Contains("(busy)", StringComparison.Ordinal), $"commit_step refused: {text}");
        }
    }
}
