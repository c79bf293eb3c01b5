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
/// <c>mcpplan integrate</c> on the PostgreSQL store against the board on another connection (as another process has):
/// a decision made there while the merge is verified refuses the integration before the branch moves, and of two
/// integrations at once only one moves a branch and completes the plan. Real git repository, real database.
/// </summary>
public sealed class PostgresIntegrateRaceTests : IDisposable
{
    private const string Id = WorkflowRepository.Id;
    private readonly TemporaryGitRepository git = new();
    private readonly List<PostgresPlanStore> opened = [];
    private readonly Lazy<string> database = new(() => PostgresCluster.Shared.CreateDatabase());
    private readonly PlanServerConfig config = new() { Verify = new VerifySettings { Command = "make check", TimeoutSeconds = 60 } };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("request_changes")]
    [InlineData("integrate")]
    public async Task A_decision_on_another_connection_while_the_merge_is_verified_leaves_release_where_it_was(string competing)
    {
        var verifier = new RecordingVerifier(TimeProvider.System);
        var cli = Session(verifier);
        var board = Session(null);
        var start = Tip("main");
        await VerifiedAsync(cli);
        var verified = Tip("main");
        git.Git("branch", "release", start);
        git.Git("branch", "hotfix", start);
        verifier.OnceWhileRunning = async () =>
        {
            if (competing == "request_changes")
            {
                board.RequestChanges(Id, "Say in the check what it checked.", ApprovalChannels.Board);
            }
            else
            {
                await board.IntegrateAsync(Id, "hotfix", new BranchIntegrator(git.Root), Token, ApprovalChannels.Board);
            }
        };

        var refusal = await Assert.ThrowsAsync<PlanRefusedException>(() => cli.IntegrateAsync(Id, "release", new BranchIntegrator(git.Root), Token));

        Assert.Equal(RefusalCodes.ChangedWhileIntegrating, refusal.Code);
        Assert.Equal(start, Tip("release"));
        var plan = board.ReadPlan(Id);
        if (competing == "request_changes")
        {
            Assert.Equal(PlanStatus.ChangesRequested, plan.Record.Status);
            Assert.Null(plan.Record.IntegratedCommit);
        }
        else
        {
            Assert.Equal(verified, Tip("hotfix"));
            Assert.Equal(PlanStatus.Completed, plan.Record.Status);
            Assert.Equal(verified, plan.Record.IntegratedCommit);
            Assert.Single(plan.Record.Timeline, entry => entry.Event == "complete");
        }
    }

    private async Task VerifiedAsync(PlanWorkflow workflow)
    {
        workflow.WritePlan(Actor.Planner, Id, WorkflowRepository.PlanText, null);
        workflow.Approve(Id, "Ada", ApprovalChannels.Cli, null, workflow.ReadPlan(Id).TextSha256);
        git.Write("src/value.txt", "a = 2\n");
        workflow.CommitStep(Actor.Implementer, Id, 1, "Write the value", null, null, null);
        git.Write("tests/check.sh", WorkflowRepository.Check);
        workflow.CommitStep(Actor.Implementer, Id, 2, "Add the check", null, null, null);
        await workflow.SubmitForReviewAsync(Actor.Implementer, Id, Token);
        Assert.Equal(PlanStatus.Verified, workflow.SubmitReview(Actor.Planner, Id, WorkflowRepository.Review(95)).Plan.Record.Status);
    }

    private PlanWorkflow Session(IVerificationRunner? verifier)
    {
        var store = new PostgresPlanStore(PostgresConnection.Open(database.Value), "repo", config);
        opened.Add(store);
        return new PlanWorkflow(store, config, new GitRepositoryGateway(git.Root), verifier, TimeProvider.System);
    }

    private string Tip(string branch) => git.Git("rev-parse", "refs/heads/" + branch).Trim();

    public void Dispose()
    {
        foreach (var store in opened)
        {
            store.Dispose();
        }

        git.Dispose();
    }
}
