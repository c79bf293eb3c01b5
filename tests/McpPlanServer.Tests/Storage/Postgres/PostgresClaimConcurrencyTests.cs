using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Git;
using McpPlanServer.Storage.Postgres;
using McpPlanServer.Tests.Git;
using McpPlanServer.Tests.Support;
using McpPlanServer.Tests.Workflow;

namespace McpPlanServer.Tests.Storage.Postgres;

/// <summary>
/// Sessions on separate store instances (separate connections, as separate machines have) against one database, through
/// the real workflow and a real git repository: commit_step lets go of the repository's lock during its git commit, so
/// another session's claim is granted meanwhile; a holder whose claim was broken and retaken during its git commit
/// records nothing; sessions racing for one plan never both get it and never share a fence.
/// </summary>
public sealed class PostgresClaimConcurrencyTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TemporaryGitRepository git = new();
    private readonly List<PostgresPlanStore> opened = [];
    private readonly Lazy<string> database = new(() => PostgresCluster.Shared.CreateDatabase());
    private readonly PlanServerConfig config = new();

    private PlanWorkflow Session(string worktree, FaultProbe? faults = null)
    {
        var store = new PostgresPlanStore(PostgresConnection.Open(database.Value), "repo", config, faults);
        lock (opened)
        {
            opened.Add(store);
        }

        return new PlanWorkflow(store, config, new GitRepositoryGateway(git.Root), null, TimeProvider.System, faults)
        {
            Session = ClaimHolder.NewSession(worktree),
        };
    }

    private static string PlanWith(string file) =>
        WorkflowRepository.PlanText.Replace("src/value.txt", file, StringComparison.Ordinal)
            .Replace("tests/check.sh", $"tests/{Path.GetFileNameWithoutExtension(file)}.sh", StringComparison.Ordinal);

    private static void Approved(PlanWorkflow planner, string id, string file)
    {
        planner.WritePlan(Actor.Planner, id, PlanWith(file), null);
        planner.Approve(id, "Ada", ApprovalChannels.Cli, null, planner.ReadPlan(id).TextSha256);
    }

    /// <summary>Runs commit_step of step 1 of <paramref name="id"/> on its own thread and returns once it is inside its git commit; <paramref name="go"/> lets it on.</summary>
    private (Task<StepCommitOutcome> Commit, ManualResetEventSlim Go) CommitPausedInGit(string id, string file, out Claim claim)
    {
        var faults = new FaultProbe();
        var builder = Session("wt-builder", faults);
        claim = builder.Claims.Take(id).Claim;
        git.Write(file, "a = 2\n");
        var inGit = new ManualResetEventSlim();
        var go = new ManualResetEventSlim();
        faults.OnReached = point =>
        {
            if (point == "commit-step:git-commit")
            {
                inGit.Set();
                Assert.True(go.Wait(Patience), "the test never let the commit on");
            }
        };
        var commit = Task.Factory.StartNew(() => builder.CommitStep(Actor.Implementer, id, 1, "Write the value", [file], null, null), TaskCreationOptions.LongRunning);
        Assert.True(inGit.Wait(Patience) || commit.IsCompleted, "commit_step never reached its git commit");
        return (commit, go);
    }

    [Fact]
    public async Task A_claim_is_granted_while_another_plans_commit_step_is_inside_its_git_commit()
    {
        var planner = Session("wt-planner");
        Approved(planner, "alpha", "src/alpha.txt");
        Approved(planner, "beta", "src/beta.txt");
        var (commit, go) = CommitPausedInGit("alpha", "src/alpha.txt", out var alphaClaim);

        // With the repository's lock held across the git commit this claim would wait, and after 10 s be refused busy.
        var other = Session("wt-other");
        var claiming = Task.Factory.StartNew(() => other.Claims.Take("beta"), TaskCreationOptions.LongRunning);
        var finishedFirst = await Task.WhenAny(claiming, Task.Delay(Patience, TestContext.Current.CancellationToken));
        go.Set();

        Assert.Same(claiming, finishedFirst);
        var beta = await claiming;
        Assert.Equal("beta", beta.Plan.Id.Value);
        Assert.True(beta.Claim.Fence > alphaClaim.Fence);
        var committed = await commit;
        Assert.True(committed.Plan.Record.Steps[0].Done);
        Assert.Null(committed.Plan.Record.PendingCommit);
        Assert.Contains($"Plan-Claim: {alphaClaim.Fence}", git.Git("log", "-1", "--format=%B", committed.Commit.Sha));
        Assert.Empty(planner.CheckIntegrity(null));
    }

    [Fact]
    public async Task Sessions_claiming_the_next_ready_plan_at_the_same_moment_each_get_a_different_plan()
    {
        const int sessions = 8;
        var planner = Session("wt-planner");
        for (var plan = 0; plan < sessions; plan++)
        {
            Approved(planner, $"plan-{plan}", $"src/file{plan}.txt");
        }

        // All decide on the same first ready plan at once; a loser of its write must go on to the next ready plan, as a
        // claim decided under the lock would, not answer plan_claimed while plans are free.
        var builders = Enumerable.Range(0, sessions).Select(index => Session($"wt-builder-{index}")).ToList();
        using var start = new Barrier(sessions);
        var grants = await Task.WhenAll(builders.Select(builder => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait(Patience);
            return builder.Claims.Take(null);
        }, TaskCreationOptions.LongRunning)));

        Assert.Equal(sessions, grants.Select(grant => grant.Plan.Id.Value).Distinct().Count());
        Assert.Equal(sessions, grants.Select(grant => grant.Claim.Fence).Distinct().Count());
        var refused = Assert.Throws<PlanRefusedException>(() => Session("wt-late").Claims.Take(null));
        Assert.Equal(RefusalCodes.NoReadyPlan, refused.Code);
        Assert.Empty(planner.CheckIntegrity(null));
    }

    [Fact]
    public async Task A_holder_whose_claim_was_broken_and_retaken_during_its_git_commit_records_nothing()
    {
        var planner = Session("wt-planner");
        Approved(planner, "alpha", "src/alpha.txt");
        var (commit, go) = CommitPausedInGit("alpha", "src/alpha.txt", out var staleClaim);

        var person = Session("wt-person");
        person.Claims.Break("alpha");
        var successor = Session("wt-successor").Claims.Take("alpha").Claim;
        go.Set();

        var refused = await Assert.ThrowsAsync<PlanRefusedException>(() => commit);
        Assert.Equal(RefusalCodes.ClaimLost, refused.Code);
        Assert.True(successor.Fence > staleClaim.Fence);
        var record = planner.ReadPlan("alpha").Record;
        Assert.False(record.Steps[0].Done);
        Assert.Equal(successor.Fence, Assert.Single(planner.Claims.Live()).Fence);
    }

    /// <summary>Another git process takes the branch's lock, so the paused git commit is refused once let on.</summary>
    private void LockTheBranch() => git.HoldLock($"refs/heads/{git.Git("symbolic-ref", "--short", "HEAD").Trim()}.lock");

    [Fact]
    public async Task A_failed_git_commit_of_a_holder_whose_claim_was_broken_and_retaken_meanwhile_leaves_the_new_holders_claim()
    {
        var planner = Session("wt-planner");
        Approved(planner, "alpha", "src/alpha.txt");
        var (commit, go) = CommitPausedInGit("alpha", "src/alpha.txt", out var staleClaim);

        Session("wt-person").Claims.Break("alpha");
        var successor = Session("wt-successor").Claims.Take("alpha").Claim;
        LockTheBranch();
        go.Set();

        // Writing the claims back as they were before the commit would put the stale holder's claim over the successor's.
        var refused = await Assert.ThrowsAsync<PlanRefusedException>(() => commit);
        Assert.Equal(RefusalCodes.RepositoryBusy, refused.Code);
        Assert.True(successor.Fence > staleClaim.Fence);
        var live = Assert.Single(planner.Claims.Live());
        Assert.Equal((successor.Fence, successor.SessionId), (live.Fence, live.SessionId));
        Assert.False(planner.ReadPlan("alpha").Record.Steps[0].Done);
    }

    [Fact]
    public async Task A_failed_git_commit_gives_back_only_its_own_claim_and_keeps_a_claim_another_session_took_meanwhile()
    {
        var planner = Session("wt-planner");
        Approved(planner, "alpha", "src/alpha.txt");
        Approved(planner, "beta", "src/beta.txt");
        var (commit, go) = CommitPausedInGit("alpha", "src/alpha.txt", out var alphaClaim);

        var beta = Session("wt-other").Claims.Take("beta").Claim;
        LockTheBranch();
        go.Set();

        var refused = await Assert.ThrowsAsync<PlanRefusedException>(() => commit);
        Assert.Equal(RefusalCodes.RepositoryBusy, refused.Code);
        var claims = planner.Claims.Live().ToDictionary(claim => claim.PlanId, StringComparer.Ordinal);
        Assert.Equal(["alpha", "beta"], claims.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(beta.Fence, claims["beta"].Fence);

        // Alpha's claim is the one it had before commit_step renewed it: same fence, same renewal time.
        Assert.Equal((alphaClaim.Fence, alphaClaim.SessionId, alphaClaim.RenewedAt), (claims["alpha"].Fence, claims["alpha"].SessionId, claims["alpha"].RenewedAt));
    }

    [Fact]
    public async Task Sessions_racing_for_one_plan_never_both_get_it_and_never_share_a_fence()
    {
        var planner = Session("wt-planner");
        Approved(planner, "gamma", "src/gamma.txt");
        const int Racers = 4;
        const int Rounds = 8;
        var sessions = Enumerable.Range(0, Racers).Select(racer => Session($"wt-{racer}")).ToArray();
        var fences = new List<long>();
        for (var round = 0; round < Rounds; round++)
        {
            using var start = new Barrier(Racers);
            var attempts = sessions.Select(session => Task.Factory.StartNew(
                () =>
                {
                    start.SignalAndWait(Patience);
                    try
                    {
                        return (Session: session, Claim: (Claim?)session.Claims.Take("gamma").Claim, Code: (string?)null);
                    }
                    catch (PlanRefusedException refusal)
                    {
                        return (Session: session, Claim: null, Code: refusal.Code);
                    }
                },
                TaskCreationOptions.LongRunning)).ToArray();
            var results = await Task.WhenAll(attempts).WaitAsync(Patience, TestContext.Current.CancellationToken);

            var winner = Assert.Single(results, attempt => attempt.Claim is not null);
            Assert.All(results.Where(attempt => attempt.Claim is null), attempt => Assert.Equal(RefusalCodes.PlanClaimed, attempt.Code));
            fences.Add(winner.Claim!.Fence);
            winner.Session.Claims.Release("gamma");
        }

        Assert.Equal(fences.Order(), fences);
        Assert.Equal(fences.Count, fences.Distinct().Count());
        Assert.Empty(planner.Claims.Live());
        Assert.Empty(planner.CheckIntegrity(null));
    }

    [Fact]
    public async Task A_claim_is_granted_while_another_change_holds_the_repositorys_lock()
    {
        var planner = Session("wt-planner");
        Approved(planner, "delta", "src/delta.txt");
        var claimer = Session("wt-claimer");
        var holder = new PostgresPlanStore(PostgresConnection.Open(database.Value), "repo", config);
        opened.Add(holder);
        Task<ClaimGrant> claiming;
        using (holder.AcquireLock())
        {
            // A read inside a change takes the repository's lock, as commit_step's record or an approval does.
            Assert.NotEmpty(holder.ListPlans());
            claiming = Task.Factory.StartNew(() => claimer.Claims.Take("delta"), TaskCreationOptions.LongRunning);
            Assert.True(SpinWait.SpinUntil(() => claiming.IsCompleted, Patience), "the claim waited for the repository's lock");
        }

        var claim = (await claiming).Claim;
        Assert.Equal(("delta", claim.Fence), (Assert.Single(planner.Claims.Live()).PlanId, planner.Claims.Live()[0].Fence));
        Assert.Equal(claim, claimer.Claims.Release("delta"));
        Assert.Empty(planner.Claims.Live());
        Assert.Empty(planner.CheckIntegrity(null));
    }

    [Fact]
    public async Task Many_sessions_claiming_and_releasing_at_once_never_both_hold_a_plan_and_the_journal_shows_one_holder_at_a_time()
    {
        var planner = Session("wt-planner");
        string[] plans = ["one", "two", "three"];
        foreach (var plan in plans)
        {
            Approved(planner, plan, $"src/{plan}.txt");
        }

        const int Sessions = 12;
        const int Rounds = 10;
        var holding = new int[plans.Length];
        var doubleHolds = 0;
        var granted = new System.Collections.Concurrent.ConcurrentBag<long>();
        using var start = new Barrier(Sessions);
        var workers = Enumerable.Range(0, Sessions).Select(index => Task.Factory.StartNew(
            () =>
            {
                var session = Session($"wt-{index}");
                start.SignalAndWait(Patience);
                for (var round = 0; round < Rounds; round++)
                {
                    var plan = (index + round) % plans.Length;
                    Claim claim;
                    try
                    {
                        claim = session.Claims.Take(plans[plan]).Claim;
                    }
                    catch (PlanRefusedException refusal)
                    {
                        // Held by another session; or, rarely, claimed and released again between each read and write.
                        Assert.Contains(refusal.Code, new[] { RefusalCodes.PlanClaimed, RefusalCodes.ClaimConflict });
                        continue;
                    }

                    granted.Add(claim.Fence);
                    if (Interlocked.Increment(ref holding[plan]) > 1)
                    {
                        Interlocked.Increment(ref doubleHolds);
                    }

                    Thread.Sleep(1);
                    Interlocked.Decrement(ref holding[plan]);
                    session.Claims.Release(plans[plan]);
                }
            },
            TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(workers).WaitAsync(Patience * 3, TestContext.Current.CancellationToken);

        Assert.Equal(0, doubleHolds);
        Assert.NotEmpty(granted);
        Assert.Equal(granted.Count, granted.Distinct().Count());
        Assert.Empty(planner.Claims.Live());
        Assert.Empty(planner.CheckIntegrity(null));

        // The journal, in its order, hands each plan to one holder at a time, with the fences the sessions were given.
        var open = plans.ToDictionary(plan => plan, _ => (long?)null, StringComparer.Ordinal);
        var journaled = new List<long>();
        foreach (var line in planner.ReadJournal(null).Where(line => line.Action is "claim" or "release_plan"))
        {
            var fence = long.Parse(line.Detail!.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            if (line.Action == "claim")
            {
                Assert.Null(open[line.PlanId!]);
                open[line.PlanId!] = fence;
                journaled.Add(fence);
            }
            else
            {
                Assert.Equal(fence, open[line.PlanId!]);
                open[line.PlanId!] = null;
            }
        }

        Assert.Equal(granted.Order(), journaled.Order());
        Assert.Equal(journaled.Order(), journaled);
    }

    public void Dispose()
    {
        foreach (var store in opened)
        {
            store.Dispose();
        }

        git.Dispose();
    }
}
