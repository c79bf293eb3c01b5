using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;

namespace McpPlanServer.Tests.Workflow;

/// <summary>The claim refusals not covered by <see cref="ClaimTests"/>: one session builds one plan, and a plan waiting on another is not claimed by id.</summary>
public sealed class ClaimRefusalTests : IDisposable
{
    private readonly WorkflowRepository repository = new();

    private PlanWorkflow Session(string worktree) =>
        new(new FilePlanStore(repository.Git.Root, repository.Config), repository.Config, repository.Gateway, repository.Verifier, repository.Clock)
        {
            Session = ClaimHolder.NewSession(worktree),
        };

    private void Approved(string id, string file, string dependsOn = "")
    {
        var text = WorkflowRepository.PlanText.Replace("src/value.txt", file, StringComparison.Ordinal)
            .Replace("**Risk level**: Low", dependsOn.Length == 0 ? "**Risk level**: Low" : $"**Risk level**: Low\n**Depends on**: {dependsOn}", StringComparison.Ordinal);
        repository.Workflow.WritePlan(Actor.Planner, id, text, null);
        repository.Workflow.Approve(id, "Ada", ApprovalChannels.Board, null, repository.Workflow.ReadPlan(id).TextSha256);
    }

    [Fact]
    public void A_session_holding_one_plan_cannot_claim_another_until_it_releases_the_first()
    {
        Approved("alpha", "src/alpha.txt");
        Approved("beta", "src/beta.txt");
        var builder = Session("wt-1");
        builder.Claims.Take("alpha");

        var second = repository.Refused("already_claiming", () => builder.Claims.Take("beta"));

        Assert.Contains("release_plan plan_id=alpha", second.Message);
        builder.Claims.Release("alpha");
        Assert.Equal("beta", builder.Claims.Take("beta").Plan.Id.Value);
    }

    [Fact]
    public void A_plan_waiting_on_an_unfinished_dependency_is_not_claimed_by_id()
    {
        Approved("schema", "src/schema.txt");
        Approved("api", "src/api.txt", dependsOn: "schema");

        var waiting = repository.Refused("not_ready", () => Session("wt-1").Claims.Take("api"));

        Assert.Contains("waiting on schema", waiting.Message);
        Assert.Equal("schema", Session("wt-2").Claims.Take(null).Plan.Id.Value);
    }

    [Fact]
    public void A_commit_step_refused_at_the_git_commit_leaves_the_claims_as_they_were()
    {
        Approved("alpha", "src/alpha.txt");
        var workflow = repository.Workflow;
        var (_, claim) = workflow.Claims.Take("alpha");
        repository.Clock.Advance(TimeSpan.FromMinutes(5));
        repository.Git.Write("src/alpha.txt", "a = 2\n");
        var branchLock = Path.Combine(repository.Git.Root, ".git", "refs", "heads", repository.Git.Git("symbolic-ref", "--short", "HEAD").Trim() + ".lock");
        // Another git process takes the branch lock after commit_step prepared its commit (its first store write).
        void LockTheBranchAtTheFirstStoreWrite() => repository.Faults.OnReached = point =>
        {
            if (point == "atomic-write:before-rename" && !File.Exists(branchLock))
            {
                File.WriteAllText(branchLock, string.Empty);
            }
        };

        LockTheBranchAtTheFirstStoreWrite();
        RefusedAtCommit(workflow);

        repository.Faults.OnReached = null;
        var kept = Assert.Single(repository.Store.ReadClaims().Claims);
        Assert.Equal(claim, kept);
        File.Delete(branchLock);
        workflow.Claims.Release("alpha");
        var fenceBefore = repository.Store.ReadClaims().LastFence;

        // Without a claim, a refused commit_step takes none (and hands out no fence).
        LockTheBranchAtTheFirstStoreWrite();
        RefusedAtCommit(workflow);
        repository.Faults.OnReached = null;
        Assert.Empty(repository.Store.ReadClaims().Claims);
        Assert.Equal(fenceBefore, repository.Store.ReadClaims().LastFence);
    }

    [Fact]
    public async Task On_files_a_claim_cannot_be_broken_during_the_git_commit_so_a_refused_commit_gives_back_the_claim_it_renewed()
    {
        Approved("alpha", "src/alpha.txt");
        var workflow = repository.Workflow;
        var (_, claim) = workflow.Claims.Take("alpha");
        repository.Clock.Advance(TimeSpan.FromMinutes(5));
        repository.Git.Write("src/alpha.txt", "a = 2\n");
        Task<Claim>? breaking = null;
        repository.Faults.OnReached = point =>
        {
            if (point == "commit-step:git-commit" && breaking is null)
            {
                // The person breaks the claim meanwhile; the file store keeps its lock across commit_step (unlike
                // PostgreSQL, see PostgresClaimConcurrencyTests), so the break waits until the refused commit is undone.
                breaking = Task.Factory.StartNew(() => Session("wt-person").Claims.Break("alpha"), TaskCreationOptions.LongRunning);
                repository.Git.HoldLock($"refs/heads/{repository.Git.Git("symbolic-ref", "--short", "HEAD").Trim()}.lock");
            }
        };

        RefusedAtCommit(workflow);
        repository.Faults.OnReached = null;

        // The break saw the claim as it was before commit_step renewed it: the restore ran before anyone else could write.
        Assert.Equal(claim, await breaking!.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken));
        Assert.Empty(repository.Store.ReadClaims().Claims);
    }

    // Not WorkflowRepository.Refused: the commit intent written before the git commit stays in the record by design (a
    // crash-safety revision), so this checks what the claim fix is about: claims and HEAD.
    private void RefusedAtCommit(PlanWorkflow workflow)
    {
        var head = repository.Git.Head();
        var refusal = Assert.Throws<PlanRefusedException>(() => workflow.CommitStep(Actor.Implementer, "alpha", 1, "Write alpha", null, null, null));
        Assert.Equal("repository_busy", refusal.Code);
        Assert.Equal(head, repository.Git.Head());
    }

    public void Dispose() => repository.Dispose();
}
