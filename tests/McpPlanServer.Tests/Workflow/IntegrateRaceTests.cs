using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Git;
using McpPlanServer.Tests.Storage;

namespace McpPlanServer.Tests.Workflow;

/// <summary>
/// <c>mcpplan integrate</c> against other processes on the same repository: the merge is verified without the store's
/// lock, so another decision (the board's request-changes, an abandon, a revision, a second integration, a new verdict on
/// another commit) or a commit on the target branch may land meanwhile. Each is injected while the verification runs
/// (<see cref="RecordingVerifier.OnceWhileRunning"/>), and the integration must then move no branch, push nothing and
/// record nothing. Real git repository, real file store.
/// </summary>
public sealed class IntegrateRaceTests : IDisposable
{
    private const string Id = WorkflowRepository.Id;

    private readonly WorkflowRepository repository = new(verifyCommand: "make check", verifier: clock => new RecordingVerifier(clock));

    private PlanWorkflow Workflow => repository.Workflow;

    private RecordingVerifier Verifier => (RecordingVerifier)repository.Verifier;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("request_changes")]
    [InlineData("abandon")]
    [InlineData("revise")]
    public async Task A_decision_taken_while_the_merge_is_verified_refuses_the_integration_and_moves_no_branch(string competing)
    {
        await VerifiedAsync();
        var release = Tip("release");
        Verifier.OnceWhileRunning = () =>
        {
            Decide(competing);
            return Task.CompletedTask;
        };

        var refusal = await Assert.ThrowsAsync<PlanRefusedException>(() => IntegrateAsync(Workflow, "release"));

        Assert.Equal(RefusalCodes.ChangedWhileIntegrating, refusal.Code);
        Assert.Contains("release was not moved and nothing was recorded", refusal.Message, StringComparison.Ordinal);
        Assert.Contains(competing, refusal.Message, StringComparison.Ordinal); // names what happened
        Assert.Equal(release, Tip("release"));
        AssertNotCompletedByIntegration(Workflow.ReadPlan(Id));
    }

    [Theory]
    [InlineData("hotfix")]
    [InlineData("release")]
    public async Task Two_integrations_of_one_plan_at_once_move_one_branch_and_complete_it_once(string otherTarget)
    {
        var verified = await VerifiedAsync();
        var release = Tip("release");
        IntegrationCandidate? first = null;
        Verifier.OnceWhileRunning = async () => first = (await IntegrateAsync(Workflow, otherTarget)).Candidate;

        var refusal = await Assert.ThrowsAsync<PlanRefusedException>(() => IntegrateAsync(Workflow, "release"));

        Assert.Equal(RefusalCodes.ChangedWhileIntegrating, refusal.Code);
        Assert.Equal(verified, first!.ResultSha);
        Assert.Equal(verified, Tip(otherTarget));
        if (otherTarget != "release")
        {
            Assert.Equal(release, Tip("release"));
        }

        var plan = Workflow.ReadPlan(Id);
        Assert.Equal(PlanStatus.Completed, plan.Record.Status);
        Assert.Equal(verified, plan.Record.IntegratedCommit);
        Assert.Single(plan.Record.Timeline, entry => entry.Event == "complete");
    }

    [Fact]
    public async Task A_new_verdict_on_another_commit_while_the_merge_is_verified_refuses_and_the_next_integration_merges_that_commit()
    {
        var first = await VerifiedAsync();
        var release = Tip("release");
        Verifier.OnceWhileRunning = async () =>
        {
            // Sent back, a commit on the branch (a note outside the plan's files), handed in and verified again.
            Workflow.RequestChanges(Id, "Add the release note.", ApprovalChannels.Board);
            repository.Git.CommitWithCli("NOTES.md", "Value is 2.\n", "Add the release note");
            await Workflow.SubmitForReviewAsync(Actor.Implementer, Id, Token);
            Workflow.SubmitReview(Actor.Planner, Id, WorkflowRepository.Review(95));
        };

        var refusal = await Assert.ThrowsAsync<PlanRefusedException>(() => IntegrateAsync(Workflow, "release"));

        var second = Tip("main");
        Assert.NotEqual(first, second);
        Assert.Equal(RefusalCodes.ChangedWhileIntegrating, refusal.Code);
        Assert.Contains($"verified again on commit {second[..12]} while commit {first[..12]} was being integrated", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(release, Tip("release"));
        var plan = Workflow.ReadPlan(Id);
        Assert.Equal(PlanStatus.Verified, plan.Record.Status);
        Assert.Equal(second, plan.Record.LastReview!.HeadSha);
        AssertNotCompletedByIntegration(plan);

        // Run again, it merges the commit verified now, and records exactly that one.
        var (completed, candidate, _) = await IntegrateAsync(Workflow, "release");
        Assert.Equal(second, candidate.ResultSha);
        Assert.Equal(second, Tip("release"));
        Assert.Equal(second, completed.Record.IntegratedCommit);
        Assert.Equal(second, completed.Record.LastReview!.HeadSha);
    }

    [Fact]
    public async Task A_target_branch_moved_while_the_merge_is_verified_is_refused_as_target_moved_and_stays_where_it_went()
    {
        await VerifiedAsync();
        var moved = string.Empty;
        Verifier.OnceWhileRunning = () =>
        {
            moved = repository.Git.Git("commit-tree", "release^{tree}", "-p", "release", "-m", "A hotfix on release").Trim();
            repository.Git.Git("update-ref", "refs/heads/release", moved);
            return Task.CompletedTask;
        };

        var refusal = await Assert.ThrowsAsync<PlanRefusedException>(() => IntegrateAsync(Workflow, "release"));

        Assert.Equal(RefusalCodes.TargetMoved, refusal.Code);
        Assert.Contains($"release moved to {moved[..12]}", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("run mcpplan integrate again", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(moved, Tip("release"));
        Assert.Equal(PlanStatus.Verified, Workflow.ReadPlan(Id).Record.Status);
        AssertNotCompletedByIntegration(Workflow.ReadPlan(Id));
    }

    [Fact]
    public async Task A_refused_integration_pushes_nothing_to_the_remote()
    {
        await VerifiedAsync();
        var (publishing, bare) = Publishing();
        var remoteRelease = RemoteTip(bare, "release");
        Verifier.OnceWhileRunning = () =>
        {
            Decide("request_changes");
            return Task.CompletedTask;
        };

        var refusal = await Assert.ThrowsAsync<PlanRefusedException>(() => IntegrateAsync(publishing, "release"));

        Assert.Equal(RefusalCodes.ChangedWhileIntegrating, refusal.Code);
        Assert.Equal(remoteRelease, RemoteTip(bare, "release"));
        Assert.Equal(remoteRelease, Tip("release"));
    }

    [Fact]
    public async Task A_checked_out_target_whose_uncommitted_files_are_in_the_way_is_refused_before_anything_is_pushed()
    {
        var verified = await VerifiedAsync();
        var (publishing, bare) = Publishing();
        var remoteRelease = RemoteTip(bare, "release");
        var worktree = Path.Join(repository.Git.Outer, "release-worktree");
        repository.Git.Git("worktree", "add", "-q", worktree, "release");
        Verifier.OnceWhileRunning = () =>
        {
            // The person starts writing the value by hand in the worktree that has release checked out.
            Directory.CreateDirectory(Path.Join(worktree, "src"));
            File.WriteAllText(Path.Join(worktree, "src", "value.txt"), "a = 9\n");
            return Task.CompletedTask;
        };

        var refusal = await Assert.ThrowsAsync<PlanRefusedException>(() => IntegrateAsync(publishing, "release"));

        Assert.Equal(RefusalCodes.UncommittedChanges, refusal.Code);
        Assert.Contains("src/value.txt", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("Commit or stash them in that worktree", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(remoteRelease, RemoteTip(bare, "release"));
        Assert.Equal(remoteRelease, Tip("release"));
        Assert.Equal("a = 9\n", File.ReadAllText(Path.Join(worktree, "src", "value.txt")));
        AssertNotCompletedByIntegration(Workflow.ReadPlan(Id));

        // Out of the way, the same integration goes through: release and its worktree at the verified commit, and the remote.
        File.Delete(Path.Join(worktree, "src", "value.txt"));
        var (completed, _, _) = await IntegrateAsync(publishing, "release");
        Assert.Equal(verified, completed.Record.IntegratedCommit);
        Assert.Equal(verified, RemoteTip(bare, "release"));
        Assert.Equal("a = 2\n", File.ReadAllText(Path.Join(worktree, "src", "value.txt")));
    }

    [Fact]
    public async Task A_tampered_record_is_refused_before_the_branch_moves()
    {
        await VerifiedAsync();
        var release = Tip("release");
        TamperWithTheRecord();

        var refusal = await Assert.ThrowsAsync<PlanRefusedException>(() => IntegrateAsync(Workflow, "release"));

        Assert.Equal(RefusalCodes.Tampered, refusal.Code);
        Assert.Equal(release, Tip("release"));
        AssertNotCompletedByIntegration(Workflow.ReadPlan(Id));
    }

    [Fact]
    public async Task A_repair_that_withdraws_the_approval_while_the_merge_is_verified_refuses_the_integration()
    {
        await VerifiedAsync();
        var release = Tip("release");
        Verifier.OnceWhileRunning = () =>
        {
            TamperWithTheRecord();
            Assert.Null(Workflow.Repair(Id).Plan.Record.Approval);
            return Task.CompletedTask;
        };

        var refusal = await Assert.ThrowsAsync<PlanRefusedException>(() => IntegrateAsync(Workflow, "release"));

        Assert.Equal(RefusalCodes.ChangedWhileIntegrating, refusal.Code);
        Assert.Contains("(last: repair by owner)", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(release, Tip("release"));
        AssertNotCompletedByIntegration(Workflow.ReadPlan(Id));
    }

    [Fact]
    public async Task A_crash_between_the_branch_move_and_the_record_leaves_a_verified_plan_that_complete_finishes()
    {
        var verified = await VerifiedAsync();
        repository.Faults.CrashAt("integrate:after-advance");

        await Assert.ThrowsAsync<SimulatedCrashException>(() => IntegrateAsync(Workflow, "release"));
        repository.Faults.OnReached = null;

        Assert.Equal(verified, Tip("release"));
        var restarted = repository.Restarted();
        Assert.Equal(PlanStatus.Verified, restarted.ReadPlan(Id).Record.Status);
        var again = await Assert.ThrowsAsync<PlanRefusedException>(() => IntegrateAsync(restarted, "release"));
        Assert.Equal(RefusalCodes.AlreadyIntegrated, again.Code);
        Assert.Contains("mcpplan complete", again.Message, StringComparison.Ordinal);
        Assert.Equal(PlanStatus.Completed, restarted.Complete(Id).Record.Status);
    }

    /// <summary>Both steps committed on main and verified; <c>release</c> and <c>hotfix</c> cut before the work (so integrating fast-forwards them). Returns the verified commit.</summary>
    private async Task<string> VerifiedAsync()
    {
        var start = Tip("main");
        repository.ImplementBothSteps();
        await Workflow.SubmitForReviewAsync(Actor.Implementer, Id, Token);
        Assert.Equal(PlanStatus.Verified, Workflow.SubmitReview(Actor.Planner, Id, WorkflowRepository.Review(95)).Plan.Record.Status);
        repository.Git.Git("branch", "release", start);
        repository.Git.Git("branch", "hotfix", start);
        return Tip("main");
    }

    /// <summary>The person's (or the planner's) decision made from another process while the integration verifies.</summary>
    private void Decide(string competing)
    {
        switch (competing)
        {
            case "request_changes":
                Workflow.RequestChanges(Id, "Say in the check what it checked.", ApprovalChannels.Board);
                break;
            case "abandon":
                Workflow.Abandon(Id, "Not needed any more.", ApprovalChannels.Board);
                break;
            default:
                Workflow.WritePlan(Actor.Planner, Id, WorkflowRepository.PlanText + "\nOne more sentence.\n", Workflow.ReadPlan(Id).Record.TextRevision);
                break;
        }
    }

    /// <summary>A bare remote holding release, and the workflow of a process that publishes to it (the push remote).</summary>
    private (PlanWorkflow Workflow, string Bare) Publishing()
    {
        var bare = Path.Join(repository.Git.Outer, "remote.git");
        repository.Git.Git("init", "-q", "--bare", "-b", "main", bare);
        repository.Git.Git("remote", "add", "origin", bare);
        repository.Git.Git("push", "-q", "origin", "release");
        var workflow = new PlanWorkflow(repository.Store, repository.Config, repository.Gateway, repository.Verifier, repository.Clock, repository.Faults)
        {
            Publisher = new BranchPublisher(repository.Git.Root, "origin"),
        };
        return (workflow, bare);
    }

    /// <summary>A hand edit of the plan's record (one space more): every decision refuses it until the person repairs it.</summary>
    private void TamperWithTheRecord()
    {
        var record = repository.PlansFile($".records/{Id}.json");
        var text = File.ReadAllText(record);
        var at = text.IndexOf("\"revision\": ", StringComparison.Ordinal);
        File.WriteAllText(record, text.Insert(at + "\"revision\":".Length, " "));
    }

    private static void AssertNotCompletedByIntegration(LoadedPlan plan)
    {
        Assert.Null(plan.Record.IntegratedCommit);
        Assert.DoesNotContain(plan.Record.Timeline, entry => entry.Event == "complete");
    }

    private Task<(LoadedPlan Plan, IntegrationCandidate Candidate, PlanWorktreeRemoval? Worktree)> IntegrateAsync(PlanWorkflow workflow, string into) =>
        workflow.IntegrateAsync(Id, into, new BranchIntegrator(repository.Git.Root), Token);

    private string Tip(string branch) => repository.Git.Git("rev-parse", "refs/heads/" + branch).Trim();

    private string RemoteTip(string bare, string branch) => repository.Git.Git("-C", bare, "rev-parse", "refs/heads/" + branch).Trim();

    public void Dispose() => repository.Dispose();
}
