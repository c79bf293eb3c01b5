using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using McpPlanServer.EndToEnd.Reliability;
using McpPlanServer.EndToEnd.Support;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpPlanServer.EndToEnd;

/// <summary>
/// Issue 11's load test of the whole parallel loop: a planner, four implementer servers in four linked worktrees (plan
/// branches on) and the person's CLI (approve, integrate, claims, release; scrubbed environment) work one repository for a
/// set time (MCPPLAN_PARALLEL_SECONDS, 60 s by default) with random valid and invalid operations, seeded
/// (MCPPLAN_PARALLEL_SEED, printed). Afterwards <see cref="InvariantChecker.CheckParallel"/> runs, the tally per operation
/// is printed, and no operation may have failed unexpectedly: an invalid operation that succeeds, a refusal with a code
/// that operation cannot give, a refusal without a code, a crash or a protocol error.
/// </summary>
[Trait("Speed", "Long")]
public sealed partial class ParallelLoopLoadTests(ITestOutputHelper output)
{
    private const int BuilderCount = 4;
    private const int MaxOpenPlans = 6;
    private static readonly object Scores95 = new { architecture = 95, code_quality = 95, testing = 95, performance = 95, security = 95 };
    private static readonly string[] HostileIds = ["../x", "", "CON", "a\u0000b", new string('a', 200), "/etc/passwd", "Load-Upper"];

    // Refusals a valid operation can meet in a race with the others; "busy" is the lock held past its timeout (retried first).
    private static readonly string[] ClaimRaces = ["no_ready_plan", "plan_claimed", "already_claiming", "busy", "wrong_state", "not_ready", "plan_moved", "repository_busy"];
    private static readonly string[] StepRaces = ["plan_claimed", "already_claiming", "wrong_branch", "wrong_state", "step_done", "busy", "plan_moved", "repository_busy", "head_moved"];

    private readonly OperationTally tally = new();

    [Fact]
    public async Task A_planner_four_builders_in_four_worktrees_and_the_person_run_the_parallel_loop_and_nothing_is_lost()
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("MCPPLAN_PARALLEL_SECONDS"), out var configured) ? configured : 60;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("MCPPLAN_PARALLEL_SEED"), out var configuredSeed) ? configuredSeed : Environment.TickCount;
        output.WriteLine($"parallel loop: {seconds} s, seed {seed} (replay with MCPPLAN_PARALLEL_SEED={seed})");

        using var repository = await TestRepository.CreateAsync();

        // A day of idle time: the checker takes claims to end only by release or break, so none may idle out during a run.
        repository.WriteFile(".claude/mcpplan.json", """{ "planBranches": true, "claimIdleMinutes": 1440 }""");
        for (var file = 1; file <= 12; file++)
        {
            repository.WriteFile($"base/part{file % 3}/file{file}.txt", $"committed before the run {file}\n");
        }

        await repository.GitAsync("add", "-A");
        await repository.GitAsync("commit", "-q", "-m", "the target branch before the run");
        var filesBefore = (await repository.GitAsync("ls-tree", "-r", "main")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .ToDictionary(parts => parts[1], parts => parts[0].Split(' ')[2], StringComparer.Ordinal);

        var worktrees = new List<TestRepository>();
        var builders = new List<ServerSession>();
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        try
        {
            // Started one after another: cold starts at once on a loaded two-core runner outlast the client's initialize timeout.
            for (var builder = 1; builder <= BuilderCount; builder++)
            {
                worktrees.Add(await repository.AddWorktreeAsync($".claude/worktrees/builder-{builder}", $"worktree-builder-{builder}"));
                builders.Add(await ServerSession.StartAsync(worktrees[^1], "implementer"));
            }

            var loop = new LoopState(DateTime.UtcNow, seconds);
            await Task.WhenAll(
                [
                    PlannerLoop(planner, repository, loop, new Random(seed)),
                    PersonLoop(repository, loop, new Random(seed + 1)),
                    .. Enumerable.Range(0, BuilderCount).Select(builder => BuilderLoop(builder, builders[builder], worktrees[builder], loop, new Random(seed + 2 + builder))),
                ]);

            var report = InvariantChecker.CheckParallel(repository.Root, "main", filesBefore);
            output.WriteLine(tally.Table());
            output.WriteLine(tally.Summary(report.Checked) + $"; step commits {loop.StepCommits}, plans integrated {loop.Integrated.Count} ({string.Join(", ", loop.Integrated)})");
            foreach (var failure in tally.Unexpected.Take(30))
            {
                output.WriteLine("unexpected: " + failure);
            }

            Assert.True(report.Holds, report.ToString());
            Assert.True(tally.Unexpected.Count == 0, $"{tally.Unexpected.Count} unexpected: " + string.Join("\n", tally.Unexpected.Take(10)));
            Assert.True(loop.StepCommits > 0 && !loop.Integrated.IsEmpty, $"the loop made no progress: {tally.Summary(report.Checked)}; step commits {loop.StepCommits}, integrated {loop.Integrated.Count}");
        }
        finally
        {
            foreach (var builder in builders)
            {
                await builder.DisposeAsync();
            }

            foreach (var worktree in worktrees)
            {
                worktree.Dispose();
            }
        }
    }

    /// <summary>What the loops share: the deadline, which builder the test believes holds which plan, and the progress made.</summary>
    private sealed class LoopState(DateTime start, int seconds)
    {
        private int planCounter;
        private int stepCommits;

        /// <summary>For the set time; on a machine so loaded that no plan went the whole way by then, on until one has (at most
        /// three times the set time), so the integration invariants always have a plan to judge.</summary>
        public bool Running => DateTime.UtcNow < start.AddSeconds(seconds) || (Integrated.IsEmpty && DateTime.UtcNow < start.AddSeconds(3 * seconds));

        public ConcurrentDictionary<string, int> HeldBy { get; } = new(StringComparer.Ordinal);

        public ConcurrentBag<string> Integrated { get; } = [];

        public int StepCommits => stepCommits;

        public int NextPlan() => Interlocked.Increment(ref planCounter);

        public void Committed() => Interlocked.Increment(ref stepCommits);
    }

    // ------------------------------------------------------------------------------------------------ the planner

    private async Task PlannerLoop(ServerSession planner, TestRepository repository, LoopState loop, Random random)
    {
        while (loop.Running)
        {
            var listed = await Tool("list_plans", () => planner.CallAsync("list_plans"));
            var plans = listed.Content?.GetProperty("plans").EnumerateArray()
                .Select(plan => (Id: plan.GetProperty("id").GetString()!, State: plan.GetProperty("state").GetString()!, Status: plan.GetProperty("status").GetString()!))
                .ToList() ?? [];
            var inReview = plans.Where(plan => plan.State == "review" && plan.Id.StartsWith("load-", StringComparison.Ordinal)).ToList();
            await ReviewAndAnswerAsync(planner, plans);
            var choice = random.Next(20);
            if (choice < 4 && plans.Count(plan => plan.State != "completed") < MaxOpenPlans)
            {
                var number = loop.NextPlan();
                await Tool("write_plan", () => planner.CallAsync("write_plan", new { plan_id = $"load-{number}", text = PlanText(number) }), allowed: ["busy"]);
            }
            else if (choice is 4 or 5)
            {
                var id = HostileIds[random.Next(HostileIds.Length)];
                await Tool("write_plan bad id", () => planner.CallAsync("write_plan", new { plan_id = id, text = SamplePlans.PromptInjection }), mustRefuse: true);
            }
            else if (choice is 6 or 7 && inReview.Count > 0)
            {
                // A revision against a stale text_revision must be refused; one against the current revision may race the person's approval.
                var id = inReview[random.Next(inReview.Count)].Id;
                var read = await Tool("read_plan", () => planner.CallAsync("read_plan", new { plan_id = id }), allowed: ["busy", "plan_not_found"]);
                if (read.Content is { } plan)
                {
                    var revision = plan.GetProperty("text_revision").GetInt32();
                    var number = int.Parse(id["load-".Length..], System.Globalization.CultureInfo.InvariantCulture);
                    var text = PlanText(number, $" Revised at {DateTime.UtcNow:O}.");
                    if (choice == 6)
                    {
                        await Tool("write_plan stale revision", () => planner.CallAsync("write_plan", new { plan_id = id, text, expected_revision = Math.Max(0, revision - 1 - random.Next(3)) }), mustRefuse: revision > 0);
                    }
                    else
                    {
                        await Tool("write_plan revise", () => planner.CallAsync("write_plan", new { plan_id = id, text, expected_revision = revision }), allowed: ["stale_revision", "wrong_state", "busy", "plan_moved"]);
                    }
                }
            }
            else if (choice == 8 && inReview.Count > 0)
            {
                // An agent edits a plan file by hand (Bash): the person's show/approve then sees the new text or refuses.
                var id = inReview[random.Next(inReview.Count)].Id;
                await Tool("edit plan file by hand", () =>
                {
                    var path = Path.Combine(repository.PlansRoot, "Review", id + ".md");
                    try
                    {
                        File.AppendAllText(path, "\nEdited by hand.\n");
                        return Task.FromResult(new CallToolResult { Content = [new TextContentBlock { Text = "edited" }] });
                    }
                    catch (IOException)
                    {
                        return Task.FromResult(new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = "Refused (moved): the plan left Review/" }] });
                    }
                }, allowed: ["moved"]);
            }
            else if (choice == 9 && plans.FirstOrDefault(plan => plan.Status is "implementing" or "awaiting_approval") is { Id: not null } notInReview)
            {
                await Tool("submit_review wrong state", () => planner.CallAsync("submit_review", new { plan_id = notInReview.Id, scores = Scores95, summary = "Too early.", criteria = SamplePlans.GreetingCriteriaMet }), mustRefuse: true);
            }

            await Task.Delay(random.Next(50, 200));
        }
    }

    /// <summary>The planner's part of the loop: each hand-in reviewed (verified), each open blocker answered.</summary>
    private async Task ReviewAndAnswerAsync(ServerSession planner, List<(string Id, string State, string Status)> plans)
    {
        foreach (var (id, _, status) in plans.Where(plan => plan.State == "active"))
        {
            if (status == "in_review")
            {
                await Tool("submit_review", () => planner.CallAsync("submit_review", new { plan_id = id, scores = Scores95, findings = Array.Empty<object>(), summary = "Verified under load.", criteria = SamplePlans.GreetingCriteriaMet }), allowed: ["busy", "wrong_state", "plan_moved"]);
            }
            else if (status == "blocked")
            {
                var read = await Tool("read_plan", () => planner.CallAsync("read_plan", new { plan_id = id }), allowed: ["busy"]);
                var open = read.Content?.GetProperty("blockers").EnumerateArray().Where(blocker => blocker.GetProperty("open").GetBoolean()).ToList() ?? [];
                if (open.Count > 0)
                {
                    await Tool("answer_blocker", () => planner.CallAsync("answer_blocker", new { plan_id = id, blocker_id = open[0].GetProperty("id").GetInt32(), answer = "Go ahead as planned." }), allowed: ["busy", "wrong_state", "blocker_answered"]);
                }
            }
        }
    }

    /// <summary>The demo's greeting plan, renamed: plan load-N writes src/loadN.txt and tests/loadN_test.sh.</summary>
    private static string PlanText(int number, string extra = "") => SamplePlans.Greeting(extra).Replace("greeting", $"load{number}", StringComparison.Ordinal);

    // ------------------------------------------------------------------------------------------------ the builders

    private async Task BuilderLoop(int index, ServerSession session, TestRepository worktree, LoopState loop, Random random)
    {
        string? held = null;
        void Drop()
        {
            if (held is not null)
            {
                loop.HeldBy.TryRemove(new KeyValuePair<string, int>(held, index));
            }

            held = null;
        }

        while (loop.Running)
        {
            if (held is null)
            {
                var choice = random.Next(10);
                if (choice < 6)
                {
                    var claimed = await Tool("claim (read_active_plan claim=true)", () => session.CallAsync("read_active_plan", new { claim = true }), allowed: [.. ClaimRaces, "worktree_dirty"]);
                    if (claimed.Content is { } grant)
                    {
                        held = grant.GetProperty("id").GetString()!;
                        loop.HeldBy[held] = index;

                        // A plan whose branch another worktree has cannot be built here: give it back.
                        if (grant.GetProperty("claim").TryGetProperty("worktree", out var where) && where.GetString() != worktree.Root)
                        {
                            var id = held;
                            await Tool("release_plan", () => session.CallAsync("release_plan", new { plan_id = id }), allowed: ["not_claimed", "busy"]);
                            Drop();
                        }
                    }
                    else if (claimed.Code == "worktree_dirty")
                    {
                        await CleanAsync(worktree);
                    }
                }
                else if (choice < 8 && loop.HeldBy.FirstOrDefault(pair => pair.Value != index) is { Key: not null } other)
                {
                    // A commit on a plan another builder holds: refused (its branch is elsewhere, or the claim is another's);
                    // should the other have let it go meanwhile, it claims a free plan, which the invariant checker judges.
                    worktree.WriteFile($"src/{other.Key.Replace("-", string.Empty, StringComparison.Ordinal)}.txt", "taken over\n");
                    var headBefore = (await worktree.GitAsync("rev-parse", "HEAD")).Trim();
                    var stolen = await Tool("commit_step wrong claim", () => session.CallAsync("commit_step", new { plan_id = other.Key, step = 1, message = "Take it" }), allowed: [.. StepRaces, "plan_not_found", "nothing_to_commit"]);
                    if (stolen.Content is null && (await worktree.GitAsync("rev-parse", "HEAD")).Trim() != headBefore)
                    {
                        tally.Failure($"commit_step wrong claim: refused ({stolen.Code}) but HEAD of builder-{index + 1} moved", "commit_step wrong claim");
                    }

                    if (stolen.Content is not null)
                    {
                        held = other.Key;
                        loop.HeldBy[held] = index;
                        loop.Committed();
                    }

                    await CleanAsync(worktree);
                }
                else
                {
                    await Tool("read_active_plan unclaimed", () => session.CallAsync("read_active_plan"), allowed: ["ambiguous_active_plan", "no_active_plan", "busy"]);
                    await Task.Delay(random.Next(50, 150));
                }

                continue;
            }

            var plan = held;
            var action = random.Next(20);
            if (action is 10 or 11)
            {
                var read = await Tool("read_active_plan (claimed, no id)", () => session.CallAsync("read_active_plan"), allowed: ["busy", "ambiguous_active_plan", "no_active_plan"]);
                if (read.Content is { } content && content.GetProperty("id").GetString() != plan)
                {
                    Drop();
                }
            }
            else if (action == 12)
            {
                await Tool("report_blocker", () => session.CallAsync("report_blocker", new { plan_id = plan, question = $"builder-{index + 1}: which greeting?" }), allowed: ["busy", "wrong_state", "plan_claimed"]);
            }
            else if (action == 13)
            {
                await Tool("release_plan", () => session.CallAsync("release_plan", new { plan_id = plan }), allowed: ["not_claimed", "busy"]);
                Drop();
            }
            else if (action == 14)
            {
                await Tool("commit_step stale step", () => session.CallAsync("commit_step", new { plan_id = plan, step = random.Next(2) == 0 ? 9 : 0, message = "again" }), mustRefuse: true);
                await CleanAsync(worktree);
            }
            else if (action == 15)
            {
                await Tool("commit_step hostile paths", () => session.CallAsync("commit_step", new { plan_id = plan, step = 1, message = "x", paths = new[] { "../outside.txt", ".git/config", ".claude/plans/journal.jsonl" } }), mustRefuse: true);
            }
            else if (action == 16)
            {
                await Tool("write_plan as implementer", () => session.CallAsync("write_plan", new { plan_id = plan, text = "# Plan: mine now\n" }), mustRefuse: true);
            }
            else if (!await BuildNextAsync(index, session, worktree, loop, plan))
            {
                Drop();
            }
        }
    }

    /// <summary>The holder's next move on its plan: the next step committed, or the plan handed in and released when all
    /// are done. False when it no longer holds the plan (its claim broken by the person, or the plan moved on).</summary>
    private async Task<bool> BuildNextAsync(int index, ServerSession session, TestRepository worktree, LoopState loop, string plan)
    {
        var read = await Tool("read_active_plan", () => session.CallAsync("read_active_plan", new { plan_id = plan }), allowed: ["busy", "wrong_state", "no_active_plan", "plan_moved", "plan_not_found"]);
        if (read.Content is not { } content)
        {
            return read.Code == "busy";
        }

        var status = content.GetProperty("status").GetString();
        if (status == "blocked")
        {
            await Task.Delay(100);
            return true;
        }

        if (status != "implementing" || content.GetProperty("next_step").ValueKind != JsonValueKind.Object)
        {
            if (status == "implementing")
            {
                await Tool("submit_for_review", () => session.CallAsync("submit_for_review", new { plan_id = plan }), allowed: ["busy", "wrong_state", "plan_claimed", "steps_not_done", "uncommitted_changes"]);
            }

            await Tool("release_plan", () => session.CallAsync("release_plan", new { plan_id = plan }), allowed: ["not_claimed", "busy"]);
            return false;
        }

        var step = content.GetProperty("next_step").GetProperty("number").GetInt32();
        var name = plan.Replace("-", string.Empty, StringComparison.Ordinal);
        worktree.WriteFile(step == 1 ? $"src/{name}.txt" : $"tests/{name}_test.sh", step == 1 ? "Hello, {name}!\n" : "expect: Hello, Ada!\n");
        var committed = await Tool("commit_step", () => session.CallAsync("commit_step", new { plan_id = plan, step, message = $"builder-{index + 1}: step {step}" }), allowed: [.. StepRaces, "worktree_dirty"]);
        if (committed.Content is not null)
        {
            loop.Committed();
            return true;
        }

        await CleanAsync(worktree);
        return committed.Code is "busy" or "step_done";
    }

    /// <summary>Puts a builder's worktree back to its branch's last commit (what an agent does after a refused commit).</summary>
    private static async Task CleanAsync(TestRepository worktree)
    {
        await worktree.GitAsync("reset", "-q", "--hard");
        await worktree.GitAsync("clean", "-fdq");
    }

    // ------------------------------------------------------------------------------------------------ the person

    private async Task PersonLoop(TestRepository repository, LoopState loop, Random random)
    {
        while (loop.Running)
        {
            // One status a round (each CLI run is a process start): integration first, then an approval, as the loop needs.
            var journalMark = InvariantChecker.JournalLength(repository.Root);
            var status = await Cli("status", "status", repository, ["status"]);
            foreach (var id in Rows(status, "active", "verified"))
            {
                var before = (await repository.GitAsync("rev-parse", "main")).Trim();
                var integrated = await Cli("integrate", $"integrate {id}", repository, ["integrate", id]);
                if (integrated?.ExitCode == 0)
                {
                    loop.Integrated.Add(id);
                }
                else if ((await repository.GitAsync("rev-parse", "main")).Trim() != before)
                {
                    tally.Failure($"integrate {id}: refused, but main moved: {integrated}", "integrate");
                }
            }

            var review = Rows(status, "review", null);
            var choice = random.Next(10);
            if (choice < 6 && review.Count > 0)
            {
                var id = review[random.Next(review.Count)];
                await Cli("approve", $"approve {id}", repository, [], () => repository.ApproveAsync(id));
            }
            else if (choice == 6)
            {
                var claims = Rows(await Cli("claims", "claims", repository, ["claims"]), null, null);
                if (claims.Count > 0)
                {
                    var id = claims[random.Next(claims.Count)];
                    await Cli("release (person breaks a claim)", $"release {id}", repository, ["release", id]);
                }
            }
            else if (choice == 7)
            {
                var unverified = Rows(status, "active", null).Except(Rows(status, "active", "verified")).ToList();
                if (unverified.Count > 0)
                {
                    // The status read is a moment old: the planner may have verified the plan since, and then it integrates.
                    var id = unverified[random.Next(unverified.Count)];
                    var integrated = await Cli("integrate unverified", $"integrate {id}", repository, ["integrate", id], mustRefuse: true,
                        verifiedMeanwhile: () => InvariantChecker.VerifiedSince(repository.Root, id, journalMark));
                    if (integrated?.ExitCode == 0)
                    {
                        loop.Integrated.Add(id);
                    }
                }
            }
            else if (choice == 8 && review.Count > 0)
            {
                var id = review[random.Next(review.Count)];
                await Cli("approve wrong sha", $"approve {id} --sha 0000000000000000", repository, ["approve", id, "--sha", "0000000000000000", "--by", "Load Person"], mustRefuse: true);
            }

            await Task.Delay(random.Next(50, 150));
        }
    }

    /// <summary>The plan ids in a status or claims table, with the state (second column) and sub-status (third) asked for.</summary>
    private static List<string> Rows(ProcessResult? table, string? state, string? subStatus) =>
        table is null
            ? []
            : [.. table.Output.Split('\n').Skip(1)
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(cells => cells.Length >= 3 && cells[0].StartsWith("load-", StringComparison.Ordinal) && (state is null || cells[1] == state) && (subStatus is null || cells[2] == subStatus))
                .Select(cells => cells[0])];

    /// <summary>One person's command, tallied: exit 0 is ok, exit 1 a refusal (which must name a code and no exception),
    /// anything else unexpected. A command that must be refused may still succeed when <paramref name="verifiedMeanwhile"/>
    /// shows from the journal that the state it was chosen for changed before it ran (tallied apart).</summary>
    private async Task<ProcessResult?> Cli(string operation, string what, TestRepository repository, string[] arguments, Func<Task<ProcessResult>>? run = null, bool mustRefuse = false, Func<bool>? verifiedMeanwhile = null)
    {
        tally.Attempt();
        var result = await (run ?? (() => repository.CliAsync(arguments)))();
        if (result.ExitCode == 0 && !mustRefuse)
        {
            tally.Success(operation);
        }
        else if (result.ExitCode == 0 && verifiedMeanwhile?.Invoke() == true)
        {
            tally.Success(operation + " (verified since the status read)");
        }
        else if (result.ExitCode == 1 && !result.Error.Contains("   at ", StringComparison.Ordinal) && !result.Error.Contains("Exception", StringComparison.Ordinal))
        {
            tally.Refusal(operation);
        }
        else
        {
            tally.Failure($"mcpplan {what}: {result}", operation);
        }

        return result;
    }

    // ------------------------------------------------------------------------------------------------ tool calls

    private readonly record struct Outcome(JsonElement? Content, string? Code);

    /// <summary>
    /// One tool call, tallied; a refusal <c>busy</c> is retried first (what an agent does with that answer). A valid call's
    /// refusal must carry one of <paramref name="allowed"/>; an invalid call (<paramref name="mustRefuse"/>) must be
    /// refused, with any code.
    /// </summary>
    private async Task<Outcome> Tool(string operation, Func<Task<CallToolResult>> call, bool mustRefuse = false, string[]? allowed = null)
    {
        tally.Attempt();
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var result = await call();
                var text = ServerSession.Text(result);
                if (result.IsError != true)
                {
                    if (mustRefuse)
                    {
                        tally.Failure($"{operation}: accepted: {text}", operation);
                        return new Outcome(null, null);
                    }

                    tally.Success(operation);
                    return new Outcome(result.StructuredContent, null);
                }

                var code = RefusalCode().Match(text) is { Success: true } match ? match.Groups[1].Value : null;
                if (code == "busy" && attempt < 5 && !mustRefuse)
                {
                    await Task.Delay(100 * attempt);
                    continue;
                }

                if (code is null || text.Contains("failed inside the server", StringComparison.Ordinal) || !(mustRefuse || (allowed ?? []).Contains(code)))
                {
                    tally.Failure($"{operation}: {text}", operation);
                }
                else
                {
                    tally.Refusal(operation);
                }

                return new Outcome(null, code);
            }
        }
        catch (McpProtocolException error) when (mustRefuse)
        {
            // An unknown tool for this role is refused by the protocol layer: the expected answer to a forbidden call.
            tally.Refusal(operation);
            return new Outcome(null, error.ErrorCode.ToString());
        }
        catch (Exception error) when (error is McpException or IOException or TimeoutException or InvalidOperationException or TaskCanceledException)
        {
            tally.Failure($"{operation}: {error.GetType().Name}: {error.Message}", operation);
            return new Outcome(null, null);
        }
    }

    [GeneratedRegex(@"^Refused \(([a-z_]+)\)")]
    private static partial Regex RefusalCode();
}
