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
        repository.WriteAndApprove();
        var builder = new PlanWorkflow(new FilePlanStore(repository.Git.Root, repository.Config), repository.Config, new GitRepositoryGateway(builderClone), null, repository.Clock)
        {
            Publisher = new BranchPublisher(builderClone, "origin"),
            Session = ClaimHolder.NewSession(builderClone),
        };
        WriteInBuilder("src/value.txt", "a = 2\n");
        builder.CommitStep(Actor.Implementer, Id, 1, "Write the value", null, null, null);
        WriteInBuilder("tests/check.sh", WorkflowRepository.Check);
        var last = builder.CommitStep(Actor.Implementer, Id, 2, "Add the check", null, null, null).Commit.Sha;
        Assert.Equal(last, repository.Git.Git("-C", bare, "rev-parse", "refs/heads/plan/value").Trim());
        await builder.SubmitForReviewAsync(Actor.Implementer, Id, CancellationToken.None);
        return last;
    }

    private PlanWorkflow Planner() =>
        new(repository.Store, repository.Config, repository.Gateway, null, repository.Clock) { Publisher = new BranchPublisher(repository.Git.Root, "origin") };

    [Fact]
    public async Task The_planner_reviews_the_fetched_plan_branch_and_its_own_branches_and_files_stay_where_they_were()
    {
        var mainHead = repository.Git.Head();
        var last = await BuildOnTheOtherClone();
        var planner = Planner();

        var evidence = planner.ReviewImplementation(Id, null, 0, 100_000);

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

    public void Dispose() => repository.Dispose();
}
