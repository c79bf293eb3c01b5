using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Git;
using McpPlanServer.Storage;

namespace McpPlanServer.Tests.Workflow;

/// <summary>
/// A branch and a worktree per claimed plan (planBranches: true): the claim makes them, commit_step commits only on the
/// plan's branch, and the main worktree (the planner's and the person's) reads and judges that branch.
/// </summary>
public sealed class PlanBranchTests : IDisposable
{
    private const string Id = WorkflowRepository.Id;
    private readonly WorkflowRepository repository = new(config: new PlanServerConfig { PlanBranches = true });

    /// <summary>An implementer server started in <paramref name="worktree"/>: the shared store, that worktree's git.</summary>
    private PlanWorkflow Builder(string worktree) =>
        new(new FilePlanStore(SharedStoreRoot.For(worktree), repository.Config), repository.Config, new GitRepositoryGateway(worktree), null, repository.Clock)
        {
            Session = ClaimHolder.NewSession(worktree),
        };

    private static void Write(string worktree, string relative, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Join(worktree, relative))!);
        File.WriteAllText(Path.Join(worktree, relative), text);
    }

    private string BranchOf(string worktree) => repository.Git.Git("-C", worktree, "rev-parse", "--abbrev-ref", "HEAD").Trim();

    [Fact]
    public async Task A_plan_is_built_on_its_branch_in_its_worktree_and_the_main_worktree_judges_that_branch()
    {
        repository.WriteAndApprove();
        var mainHead = repository.Git.Head();
        Assert.Null(repository.Workflow.BranchOf(Id));

        var worktree = Assert.IsType<PlanWorktree>(repository.Workflow.Claims.Take(Id).Worktree);
        Assert.Equal("plan/value", repository.Workflow.BranchOf(Id));
        Assert.Equal(("plan/value", "created"), (worktree.Branch, worktree.How));
        Assert.Equal(Path.Join(repository.Git.Root, ".claude", "worktrees", "plan-value"), worktree.Path);
        Assert.Equal("plan/value", BranchOf(worktree.Path));
        Assert.Equal("main", BranchOf(repository.Git.Root));
        Assert.DoesNotContain("plan-value", repository.Git.Git("branch", "--list"));

        // The main worktree stays the person's: a step committed there is refused, naming the plan's worktree.
        repository.Git.Write("src/value.txt", "a = 2\n");
        var wrong = repository.Refused("wrong_branch", () => repository.Commit(1, "Write the value"));
        Assert.Contains(worktree.Path, wrong.Message);
        File.Delete(repository.Git.Path("src/value.txt"));

        repository.Workflow.Claims.Release(Id);
        var builder = Builder(worktree.Path);
        Assert.Equal("here", builder.Claims.Take(null).Worktree!.How);
        Write(worktree.Path, "src/value.txt", "a = 2\n");
        builder.CommitStep(Actor.Implementer, Id, 1, "Write the value", null, null, null);
        Write(worktree.Path, "tests/check.sh", WorkflowRepository.Check);
        var second = builder.CommitStep(Actor.Implementer, Id, 2, "Add the check", null, null, null);
        Assert.Equal(mainHead, repository.Git.Head());
        Assert.Contains(second.Commit.Sha, repository.Git.Git("rev-parse", "plan/value"));

        // Read from the main worktree, the steps are done: they are on the plan's branch.
        Assert.Equal(2, repository.Workflow.ReadPlan(Id).Record.StepsDone);
        await builder.SubmitForReviewAsync(Actor.Implementer, Id, CancellationToken.None);
        var review = repository.Workflow.SubmitReview(Actor.Planner, Id, WorkflowRepository.Review(95));
        Assert.Equal(ReviewVerdict.Verified, review.Review.Verdict);
        Assert.Equal(second.Commit.Sha, review.Review.HeadSha);
        Assert.Null(repository.Workflow.ReadPlan(Id).StaleVerdict);

        // A commit on the plan's branch after the verdict: complete, run in the main worktree, sees it and refuses.
        Write(worktree.Path, "src/value.txt", "a = 4\n");
        repository.Git.Git("-C", worktree.Path, "commit", "-qam", "tweak after the review");
        var stale = Assert.Throws<PlanRefusedException>(() => repository.Workflow.Complete(Id));
        Assert.Equal("verdict_stale", stale.Code);
        Assert.Contains("tweak after the review", stale.Message);
    }

    [Fact]
    public void A_claim_from_a_clean_linked_worktree_switches_it_to_the_plans_branch_and_a_dirty_one_is_refused_with_nothing_taken()
    {
        repository.WriteAndApprove();
        var linked = Path.Join(repository.Git.Root, ".claude", "worktrees", "builder-1");
        repository.Git.Git("worktree", "add", "-q", "-b", "worktree-builder-1", linked);
        var builder = Builder(linked);
        Write(linked, "README.md", "edited\n");

        var dirty = Assert.Throws<PlanRefusedException>(() => builder.Claims.Take(Id));

        Assert.Equal("worktree_dirty", dirty.Code);
        Assert.Contains("README.md", dirty.Message);
        Assert.Empty(repository.Store.ReadClaims().Claims);
        Assert.DoesNotContain("plan/value", repository.Git.Git("branch", "--list"));
        Assert.Equal("worktree-builder-1", BranchOf(linked));

        repository.Git.Git("-C", linked, "checkout", "--", "README.md");
        var switched = builder.Claims.Take(Id).Worktree!;
        Assert.Equal(("switched", "plan/value"), (switched.How, BranchOf(linked)));
        Write(linked, "src/value.txt", "a = 2\n");
        var committed = builder.CommitStep(Actor.Implementer, Id, 1, "Write the value", null, null, null);
        Assert.Contains("Plan-Claim: ", repository.Git.Git("log", "-1", "--format=%B", "plan/value"));
        Assert.Equal(committed.Commit.Sha, repository.Git.Git("rev-parse", "plan/value").Trim());
    }

    [Fact]
    public void Without_plan_branches_the_single_working_tree_flow_commits_on_the_current_branch()
    {
        using var single = new WorkflowRepository();
        single.WriteAndApprove();

        Assert.Null(single.Workflow.Claims.Take(Id).Worktree);
        single.Git.Write("src/value.txt", "a = 2\n");
        single.Commit(1, "Write the value");

        Assert.Equal("main", BranchOf(single.Git.Root));
        Assert.DoesNotContain("plan/", single.Git.Git("branch", "--list"));
    }

    public void Dispose() => repository.Dispose();
}
