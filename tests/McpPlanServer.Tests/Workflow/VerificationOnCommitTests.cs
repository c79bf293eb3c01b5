using McpPlanServer.Cli.Verification;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Tests.Workflow;

/// <summary>Hand-in evidence rests on what was committed: the verification runs on a clean checkout of the handed-in
/// commit, the verdict is bound to it, and uncommitted changes to the plan's files refuse the hand-in.</summary>
public sealed class VerificationOnCommitTests : IDisposable
{
    private readonly WorkflowRepository repository = new("sh tests/check.sh && test ! -e scratch.txt");

    [Fact]
    public async Task Committed_a_3_with_a_2_in_the_working_tree_fails_verification_on_the_commit_and_the_hand_in_names_the_uncommitted_file()
    {
        repository.ImplementBothSteps(value: "a = 3");
        repository.Git.Write("src/value.txt", "a = 2\n");
        var head = repository.Git.Head()!;

        // The runner on its own: the working tree says a = 2, the commit a = 3, and the commit is what is checked.
        var direct = await repository.Runner.RunAsync("sh tests/check.sh", TimeSpan.FromSeconds(30), head, CancellationToken.None);
        Assert.False(direct.Passed);
        Assert.Contains("value is: a = 3", direct.OutputTail);
        Assert.Equal(head, direct.HeadSha);

        var refused = await Assert.ThrowsAsync<PlanRefusedException>(() => repository.Workflow.SubmitForReviewAsync(Actor.Implementer, WorkflowRepository.Id, CancellationToken.None));
        Assert.Equal("uncommitted_changes", refused.Code);
        Assert.Contains("src/value.txt (modified)", refused.Message);

        repository.Git.Git("checkout", "--", "src/value.txt");
        var failed = await Assert.ThrowsAsync<PlanRefusedException>(() => repository.Workflow.SubmitForReviewAsync(Actor.Implementer, WorkflowRepository.Id, CancellationToken.None));
        Assert.Equal("verification_failed", failed.Code);
        Assert.Contains(head[..12], failed.Message);
        Assert.Contains("value is: a = 3", failed.Message);

        // Every step is done, so the fix goes in as another commit of step 1, and the hand-in verifies that commit.
        repository.Git.Write("src/value.txt", "a = 2\n");
        var fix = repository.Commit(1, "Correct the value");
        var handedIn = await repository.Workflow.SubmitForReviewAsync(Actor.Implementer, WorkflowRepository.Id, CancellationToken.None);
        Assert.True(handedIn.Record.LastVerification!.Passed);
        Assert.Equal(fix.Commit.Sha, handedIn.Record.LastVerification.HeadSha);
        Assert.Equal(2, handedIn.Record.Steps[0].Commits.Count);
    }

    [Fact]
    public void A_done_step_takes_no_further_commit_while_a_later_step_is_still_open()
    {
        repository.WriteAndApprove();
        repository.Git.Write("src/value.txt", "a = 3\n");
        repository.Commit(1, "Write the value");
        repository.Git.Write("src/value.txt", "a = 2\n");

        var refused = Assert.Throws<PlanRefusedException>(() => repository.Commit(1, "again"));

        Assert.Equal("step_done", refused.Code);
    }

    [Fact]
    public async Task The_verification_sees_only_the_committed_tree_and_its_result_is_bound_to_the_handed_in_commit()
    {
        repository.ImplementBothSteps();
        repository.Git.Write("scratch.txt", "untracked notes the check would trip over\n");

        var handedIn = await repository.Workflow.SubmitForReviewAsync(Actor.Implementer, WorkflowRepository.Id, CancellationToken.None);

        var verification = Assert.IsType<VerificationResult>(handedIn.Record.LastVerification);
        Assert.True(verification.Passed, verification.OutputTail);
        Assert.Equal(repository.Git.Head(), verification.HeadSha);
        Assert.Equal(repository.Git.Head(), handedIn.Record.HandedInCommit);
        Assert.Empty(Directory.Exists(VerificationCheckout.RepositoryFolder(repository.Git.Root))
            ? Directory.EnumerateDirectories(VerificationCheckout.RepositoryFolder(repository.Git.Root))
            : []);
    }

    [Fact]
    public async Task A_commit_after_the_verified_one_voids_the_verdict_views_say_so_and_complete_refuses()
    {
        repository.ImplementBothSteps();
        await repository.Workflow.SubmitForReviewAsync(Actor.Implementer, WorkflowRepository.Id, CancellationToken.None);
        var (review, _) = repository.Workflow.SubmitReview(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.Review(95));
        Assert.Equal(ReviewVerdict.Verified, review.Verdict);
        Assert.Equal(repository.Git.Head(), review.HeadSha);
        Assert.Null(repository.Workflow.ReadPlan(WorkflowRepository.Id).StaleVerdict);

        repository.Git.CommitWithCli("src/value.txt", "a = 4\n", "tweak after the review");

        var plan = repository.Workflow.ReadPlan(WorkflowRepository.Id);
        Assert.Contains("was verified on commit " + review.HeadSha![..12], plan.StaleVerdict);
        Assert.Contains("verified on commit", repository.Workflow.ListPlans().Single().NextAction);
        var refused = Assert.Throws<PlanRefusedException>(() => repository.Workflow.Complete(WorkflowRepository.Id));
        Assert.Equal("verdict_stale", refused.Code);
        Assert.Equal(PlanFolder.Active, repository.Store.Locate(Core.Plans.PlanId.Parse(WorkflowRepository.Id))!.Folder);
    }

    [Fact]
    public async Task A_later_commit_that_leaves_the_plans_files_alone_keeps_the_verdict()
    {
        repository.ImplementBothSteps();
        await repository.Workflow.SubmitForReviewAsync(Actor.Implementer, WorkflowRepository.Id, CancellationToken.None);
        repository.Workflow.SubmitReview(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.Review(95));

        repository.Git.CommitWithCli("docs/other-plan.md", "another plan's work\n", "another plan's step on the same branch");

        Assert.Null(repository.Workflow.ReadPlan(WorkflowRepository.Id).StaleVerdict);
        Assert.Equal(PlanFolder.Completed, repository.Workflow.Complete(WorkflowRepository.Id).Location.Folder);
    }

    [Fact]
    public void A_checkout_left_by_a_killed_process_is_swept_and_a_live_one_is_kept()
    {
        var parent = VerificationCheckout.RepositoryFolder(repository.Git.Root);
        var dead = Path.Join(parent, "999999-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Join(dead, "src"));
        File.WriteAllText(Path.Join(dead, "src", "left.txt"), "left behind");
        File.SetAttributes(Path.Join(dead, "src", "left.txt"), FileAttributes.ReadOnly);
        var live = VerificationCheckout.Create(repository.Git.Root);
        try
        {
            Assert.Equal(1, VerificationCheckout.SweepLeftovers(repository.Git.Root));
            Assert.False(Directory.Exists(dead));
            Assert.True(Directory.Exists(live));
        }
        finally
        {
            VerificationCheckout.Remove(live);
        }
    }

    [Fact]
    public void The_exported_tree_has_the_committed_bytes_modes_and_only_links_that_stay_inside()
    {
        repository.Git.Write("run.sh", "#!/bin/sh\necho run\n");
        repository.Git.MakeExecutable("run.sh");
        File.CreateSymbolicLink(repository.Git.Path("inside"), "run.sh");
        File.CreateSymbolicLink(repository.Git.Path("outside"), "../../../etc/passwd");
        repository.Git.Git("add", "run.sh", "inside", "outside");
        repository.Git.Git("commit", "-q", "-m", "files and links");
        repository.Git.Write("run.sh", "changed in the working tree\n");
        var folder = VerificationCheckout.Create(repository.Git.Root);
        try
        {
            repository.Git.Gateway.ExportTree(repository.Git.Head()!, folder);

            Assert.Equal("#!/bin/sh\necho run\n", File.ReadAllText(Path.Join(folder, "run.sh")));
            Assert.True(OperatingSystem.IsWindows() || (File.GetUnixFileMode(Path.Join(folder, "run.sh")) & UnixFileMode.UserExecute) != 0);
            Assert.Equal("run.sh", new FileInfo(Path.Join(folder, "inside")).LinkTarget);
            Assert.Null(new FileInfo(Path.Join(folder, "outside")).LinkTarget);
            Assert.Equal("../../../etc/passwd", File.ReadAllText(Path.Join(folder, "outside")));
            Assert.False(Directory.Exists(Path.Join(folder, ".git")));
        }
        finally
        {
            VerificationCheckout.Remove(folder);
        }
    }

    public void Dispose() => repository.Dispose();
}
