using McpPlanServer.Cli.Verification;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Git;
using McpPlanServer.Storage;

namespace McpPlanServer.Tests.Workflow;

/// <summary>
/// Teams across machines (issue 19): the builder commits on another clone and pushes <c>plan/&lt;id&gt;</c> to the shared
/// remote; the planner's clone has the commits only on its remote-tracking branch after the fetch. The evidence, the
/// steps' truth and the reviewed head read that fetched branch, and nothing of the planner's branches or files moves.
/// The shared store (PostgreSQL across machines) is the planner's file store here, which both servers open.
/// </summary>
public sealed class FetchedPlanBranchTests : IDisposable
{
    private const string Id = WorkflowRepository.Id;
    private readonly WorkflowRepository repository = new();
    private readonly string bare;
    private readonly string builderClone;

    public FetchedPlanBranchTests()
    {
        bare = Path.Join(repository.Git.Outer, "remote.git");
        builderClone = Path.Join(repository.Git.Outer, "builder");
        repository.Git.Git("init", "-q", "--bare", "-b", "main", bare);
        repository.Git.Git("remote", "add", "origin", bare);
        repository.Git.Git("push", "-q", "origin", "main");
        repository.Git.Git("clone", "-q", bare, builderClone);
        Builder("config", "user.name", "Builder");
        Builder("config", "user.email", "builder@example.test");
        Builder("config", "commit.gpgsign", "false");
        Builder("checkout", "-q", "-b", "plan/value");
    }

    private string Builder(params string[] arguments) => repository.Git.Git(["-C", builderClone, .. arguments]);

    private void WriteInBuilder(string relative, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Join(builderClone, relative))!);
        File.WriteAllText(Path.Join(builderClone, relative), text);
    }

    /// <summary>Both steps committed and pushed on the builder's clone, handed in; returns the last step's commit.</summary>
    private async Task<string> BuildOnTheOtherClone()
    {
        var builder = BuilderWorkflow(verify: false);
        var last = CommitBothStepsOnTheOtherClone(builder);
        await builder.SubmitForReviewAsync(Actor.Implementer, Id, CancellationToken.None);
        return last;
    }

    /// <summary>The builder's server on its clone (the shared store); with <paramref name="verify"/>, the person's
    /// verification command (the plan's check) runs at its hand-in on a clean checkout, as configured.</summary>
    private PlanWorkflow BuilderWorkflow(bool verify)
    {
        repository.WriteAndApprove();
        var config = verify ? repository.Config with { Verify = new VerifySettings { Command = "sh tests/check.sh", TimeoutSeconds = 60 } } : repository.Config;
        var gateway = new GitRepositoryGateway(builderClone);
        return new PlanWorkflow(new FilePlanStore(repository.Git.Root, config), config, gateway, verify ? new ShellVerificationRunner(builderClone, gateway, TimeProvider.System) : null, repository.Clock)
        {
            Publisher = new BranchPublisher(builderClone, "origin"),
            Session = ClaimHolder.NewSession(builderClone),
        };
    }

    private string CommitBothStepsOnTheOtherClone(PlanWorkflow builder)
    {
        WriteInBuilder("src/value.txt", "a = 2\n");
        builder.CommitStep(Actor.Implementer, Id, 1, "Write the value", null, null, null);
        WriteInBuilder("tests/check.sh", WorkflowRepository.Check);
        var last = builder.CommitStep(Actor.Implementer, Id, 2, "Add the check", null, null, null).Commit.Sha;
        Assert.Equal(last, RemoteTip("plan/value"));
        return last;
    }

    private string RemoteTip(string branch) => repository.Git.Git("-C", bare, "rev-parse", "refs/heads/" + branch).Trim();

    /// <summary>What a shell on the planner's clone can do: point its remote-tracking <c>origin/plan/value</c> at a commit
    /// of the builder's clone that was never pushed (fetched straight from that clone's <paramref name="branch"/>).</summary>
    private void ForgeTrackingRef(string branch) =>
        repository.Git.Git("fetch", "-q", builderClone, $"+refs/heads/{branch}:refs/remotes/origin/plan/value");

    /// <summary>The remote out of reach, so no fetch puts a forged remote-tracking ref back (fetch failures are not refusals).</summary>
    private void CutOffTheRemote() => repository.Git.Git("remote", "set-url", "origin", Path.Join(repository.Git.Outer, "unreachable.git"));

    private PlanWorkflow Planner() =>
        new(repository.Store, repository.Config, repository.Gateway, null, repository.Clock) { Publisher = new BranchPublisher(repository.Git.Root, "origin") };

    [Fact]
    public async Task The_planner_reviews_the_fetched_plan_branch_and_its_own_branches_and_files_stay_where_they_were()
    {
        var mainHead = repository.Git.Head();
        var last = await BuildOnTheOtherClone();
        var planner = Planner();

        var evidence = planner.ReviewImplementation(Id, null, 0, 100_000);
        Assert.DoesNotContain(evidence.Warnings, warning => warning.Contains("Fetching from", StringComparison.Ordinal));

        Assert.Equal(last, evidence.Head);
        Assert.DoesNotContain(evidence.Warnings, warning => warning.Contains("no longer on the branch", StringComparison.Ordinal));
        Assert.All(evidence.Steps, step => Assert.True(step.Done, step.Problem));
        Assert.All(evidence.Steps.SelectMany(step => step.Commits), commit => Assert.True(commit.OnBranch));
        Assert.Contains("a = 2", evidence.Steps[0].Commits[0].Diff.Text);
        Assert.Equal(2, planner.ReadPlan(Id).Record.StepsDone);

        var review = planner.SubmitReview(Actor.Planner, Id, WorkflowRepository.Review(95));
        Assert.Equal(ReviewVerdict.Verified, review.Review.Verdict);
        Assert.Equal(last, review.Review.HeadSha);
        Assert.Null(planner.ReadPlan(Id).StaleVerdict);

        // Read only: the planner's HEAD, branches and working tree are as they were.
        Assert.Equal(mainHead, repository.Git.Head());
        Assert.Equal("main", repository.Git.Git("rev-parse", "--abbrev-ref", "HEAD").Trim());
        Assert.DoesNotContain("plan/value", repository.Git.Git("branch", "--list"));
        Assert.False(File.Exists(repository.Git.Path("src/value.txt")));
    }

    [Fact]
    public async Task A_local_plan_branch_that_holds_the_commits_wins_and_one_that_lacks_them_gives_way_to_the_fetched_branch()
    {
        var mainHead = repository.Git.Head()!;
        var last = await BuildOnTheOtherClone();
        var planner = Planner();
        _ = planner.ReviewImplementation(Id, null, 0, 10_000); // fetches

        // A local plan branch with one more commit on top of the fetched one: the local branch is what is read.
        var tree = repository.Git.Git("rev-parse", last + "^{tree}").Trim();
        var ahead = repository.Git.Git("commit-tree", tree, "-p", last, "-m", "local work on top").Trim();
        repository.Git.Git("branch", "plan/value", ahead);
        Assert.Equal(ahead, planner.ReviewImplementation(Id, null, 0, 10_000).Head);

        // A local plan branch that lacks them (left at the base): the fetched branch is read, the local one stays put.
        repository.Git.Git("branch", "-f", "plan/value", mainHead);
        var evidence = planner.ReviewImplementation(Id, null, 0, 10_000);
        Assert.Equal(last, evidence.Head);
        Assert.All(evidence.Steps, step => Assert.True(step.Done, step.Problem));
        Assert.Equal(mainHead, repository.Git.Git("rev-parse", "plan/value").Trim());
    }

    [Fact]
    public async Task Without_the_fetch_the_steps_are_not_on_any_branch_here()
    {
        // The control: the same record read before the planner's server fetched counts nothing done.
        await BuildOnTheOtherClone();
        Assert.Equal(0, repository.Workflow.ReadPlan(Id).Record.StepsDone);
    }

    [Fact]
    public async Task A_forged_remote_tracking_ref_past_the_hand_in_moves_neither_the_verdict_nor_the_verification_nor_what_is_integrated()
    {
        var builder = BuilderWorkflow(verify: true);
        var last = CommitBothStepsOnTheOtherClone(builder);
        await builder.SubmitForReviewAsync(Actor.Implementer, Id, CancellationToken.None);
        Assert.Equal(last, repository.Workflow.ReadPlan(Id).Record.LastVerification!.HeadSha); // ran on the handed-in commit
        var planner = Planner();
        _ = planner.ReviewImplementation(Id, null, 0, 10_000); // fetches the builder's commits

        // On the builder's clone, a commit after the hand-in with the plan's trailers, never pushed; the planner's clone's
        // origin/plan/value moved to it and the remote cut off, so no fetch puts it back.
        WriteInBuilder("src/value.txt", "a = 3\n");
        Builder("commit", "-q", "-am", $"Make it three\n\nPlan-Id: {Id}\nPlan-Step: 1");
        var forged = Builder("rev-parse", "HEAD").Trim();
        ForgeTrackingRef("plan/value");
        CutOffTheRemote();

        // The evidence reads the forged branch and says so: the commit past the hand-in is outside commit_step whatever
        // its trailers, and the steps are the commits commit_step recorded.
        var evidence = planner.ReviewImplementation(Id, null, 0, 100_000);
        Assert.Equal(forged, evidence.Head);
        Assert.Equal(last, evidence.HandedInCommit);
        Assert.Contains(evidence.CommitsOutsideCommitStep, commit => commit.Sha == forged);
        Assert.DoesNotContain(evidence.Steps.SelectMany(step => step.Commits), commit => commit.Facts.Sha == forged);
        Assert.Contains(evidence.Warnings, warning => warning.Contains($"past the handed-in commit {last[..12]}", StringComparison.Ordinal));

        // The failed fetch is said, naming the remote and git's error, not read around in silence.
        Assert.Contains(evidence.Warnings, warning => warning.StartsWith("Fetching from 'origin' failed (", StringComparison.Ordinal) && !warning.Contains("failed ()", StringComparison.Ordinal));

        // The verdict binds to the handed-in commit, where the verification ran, not to the forged tip; the forged commit
        // (it claims the plan's id) makes the verdict stale, so the person's plain complete is refused.
        var review = planner.SubmitReview(Actor.Planner, Id, WorkflowRepository.Review(95));
        Assert.Equal(ReviewVerdict.Verified, review.Review.Verdict);
        Assert.Equal(last, review.Review.HeadSha);
        Assert.Equal(last, planner.ReadPlan(Id).Record.LastVerification!.HeadSha);
        Assert.NotNull(planner.ReadPlan(Id).StaleVerdict);

        // The person integrates with the remote back: exactly the verified commit reaches main, here and on the remote.
        repository.Git.Git("remote", "set-url", "origin", bare);
        var (completed, candidate, _) = await planner.IntegrateAsync(Id, "main", new BranchIntegrator(repository.Git.Root), CancellationToken.None);
        Assert.Equal(PlanStatus.Completed, completed.Record.Status);
        Assert.Equal(candidate.ResultSha, RemoteTip("main"));
        Assert.Equal(0, repository.Git.TryGit("merge-base", "--is-ancestor", last, candidate.ResultSha).ExitCode);
        Assert.NotEqual(0, repository.Git.TryGit("merge-base", "--is-ancestor", forged, candidate.ResultSha).ExitCode);
        Assert.Equal("a = 2\n", repository.Git.Git("show", candidate.ResultSha + ":src/value.txt"));
    }

    [Fact]
    public async Task A_forged_ref_outside_the_approval_base_with_the_steps_trailers_counts_no_step_and_the_verdict_stays_on_the_hand_in()
    {
        var last = await BuildOnTheOtherClone();
        var planner = Planner();
        _ = planner.ReviewImplementation(Id, null, 0, 10_000);

        // A root commit with the last step's tree and message (its Plan-Id / Plan-Step trailers): not a descendant of the
        // approval base, and none of the recorded step commits.
        var message = Builder("log", "-1", "--format=%B", last);
        var orphan = Builder("commit-tree", last + "^{tree}", "-m", message).Trim();
        Builder("branch", "forged", orphan);
        ForgeTrackingRef("forged");
        CutOffTheRemote();

        var evidence = planner.ReviewImplementation(Id, null, 0, 100_000);
        Assert.NotEqual(orphan, evidence.Head);
        Assert.Equal([1, 2], evidence.StepsNotDone);
        Assert.Equal(0, planner.ReadPlan(Id).Record.StepsDone);
        Assert.Contains(evidence.Warnings, warning => warning.Contains($"does not hold the handed-in commit {last[..12]}", StringComparison.Ordinal));

        var review = planner.SubmitReview(Actor.Planner, Id, WorkflowRepository.Review(95));
        Assert.Equal(last, review.Review.HeadSha);
    }

    [Fact]
    public async Task A_review_on_a_clone_that_never_received_the_handed_in_commit_is_refused_and_records_nothing()
    {
        var last = await BuildOnTheOtherClone();
        var message = Builder("log", "-1", "--format=%B", last);
        Builder("branch", "forged", Builder("commit-tree", last + "^{tree}", "-m", message).Trim());
        CutOffTheRemote();
        ForgeTrackingRef("forged"); // brings the forged commit only, never the builder's
        var planner = Planner();

        var evidence = planner.ReviewImplementation(Id, null, 0, 100_000);
        Assert.Contains(evidence.Warnings, warning => warning.Contains($"handed-in commit {last[..12]} is not in this clone", StringComparison.Ordinal));
        var before = planner.ReadPlan(Id).Record.Revision;
        var refusal = repository.Refused("commit_missing", () => planner.SubmitReview(Actor.Planner, Id, WorkflowRepository.Review(95)));
        Assert.Contains("review_implementation", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(before, planner.ReadPlan(Id).Record.Revision);
        Assert.Equal(PlanStatus.InReview, planner.ReadPlan(Id).Record.Status);
    }

    [Fact]
    public async Task A_hand_in_pushes_a_commit_made_after_the_last_step_so_the_planner_can_read_what_the_verdict_binds_to()
    {
        var builder = BuilderWorkflow(verify: false);
        var last = CommitBothStepsOnTheOtherClone(builder);
        WriteInBuilder("NOTES.md", "tidy\n");
        Builder("add", "NOTES.md");
        Builder("commit", "-q", "-m", "Tidy up");
        var tidy = Builder("rev-parse", "HEAD").Trim();
        Assert.Equal(last, RemoteTip("plan/value"));

        await builder.SubmitForReviewAsync(Actor.Implementer, Id, CancellationToken.None);

        Assert.Equal(tidy, RemoteTip("plan/value"));
        var evidence = Planner().ReviewImplementation(Id, null, 0, 100_000);
        Assert.Equal(tidy, evidence.HandedInCommit);
        Assert.Equal(tidy, evidence.Head);
        Assert.DoesNotContain(evidence.Warnings, warning => warning.Contains("handed-in", StringComparison.Ordinal));
    }

    public void Dispose() => repository.Dispose();
}
