using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Tests.Storage;

namespace McpPlanServer.Tests.Workflow;

/// <summary>Git is the truth about step commits: a step whose commit left the branch is not done, everywhere; only a
/// commit matching commit_step's recorded intent is adopted.</summary>
public sealed class BranchTruthTests : IDisposable
{
    private readonly WorkflowRepository repository = new();

    [Fact]
    public async Task A_step_reset_away_is_not_done_in_every_view_and_the_hand_in_is_refused_until_it_is_redone()
    {
        repository.ImplementBothSteps();
        var dropped = repository.Git.Head()!;
        repository.Git.Git("reset", "-q", "--hard", "HEAD~1");

        var plan = repository.Workflow.ReadPlan(WorkflowRepository.Id);
        Assert.False(plan.Record.Steps[1].Done);
        Assert.Contains($"commit {dropped[..12]} is no longer on the branch", plan.Record.Steps[1].Problem);
        Assert.Equal(2, plan.NextStep!.Number);
        var summary = repository.Workflow.ListPlans().Single();
        Assert.Equal(1, summary.StepsDone);
        Assert.Contains("Step 2 is not done", summary.NextAction);
        var evidence = repository.Workflow.ReviewImplementation(WorkflowRepository.Id, null, 0, 20_000);
        Assert.False(evidence.Steps[1].Done);
        Assert.False(evidence.Steps[1].Commits.Single().OnBranch);
        Assert.Equal([2], evidence.StepsNotDone);

        var refused = await Assert.ThrowsAsync<PlanRefusedException>(() => repository.Workflow.SubmitForReviewAsync(Actor.Implementer, WorkflowRepository.Id, CancellationToken.None));
        Assert.Equal("steps_not_done", refused.Code);
        Assert.Contains("no longer on the branch", refused.Message);

        repository.Git.Write("tests/check.sh", WorkflowRepository.Check);
        var redone = repository.Commit(2, "Add the check again");
        Assert.Equal([redone.Commit.Sha], redone.Plan.Record.Steps[1].Commits.Select(commit => commit.Sha));
        var handedIn = await repository.Workflow.SubmitForReviewAsync(Actor.Implementer, WorkflowRepository.Id, CancellationToken.None);
        Assert.Equal(PlanStatus.InReview, handedIn.State.Status);
    }

    [Fact]
    public void Switching_to_another_branch_makes_the_steps_not_done_and_switching_back_restores_them()
    {
        repository.ImplementBothSteps();
        var baseCommit = repository.Workflow.ReadPlan(WorkflowRepository.Id).Record.Approval!.BaseCommit!;
        repository.Git.Git("switch", "-q", "-c", "elsewhere", baseCommit);

        Assert.Equal(0, repository.Workflow.ReadPlan(WorkflowRepository.Id).Record.StepsDone);

        repository.Git.Git("switch", "-q", "main");
        Assert.Equal(2, repository.Workflow.ReadPlan(WorkflowRepository.Id).Record.StepsDone);
    }

    [Fact]
    public void A_hand_made_commit_with_the_plan_trailers_is_not_adopted_and_stays_outside_commit_step()
    {
        repository.WriteAndApprove();
        repository.Git.Write("src/value.txt", "a = 2\n");
        repository.Git.Git("add", "src/value.txt");
        repository.Git.Git("commit", "-q", "-m", "forged step\n\nPlan-Id: value\nPlan-Step: 2");
        var forged = repository.Git.Head()!;

        var restarted = repository.Restarted();
        restarted.Reconcile();

        var plan = restarted.ReadPlan(WorkflowRepository.Id);
        Assert.All(plan.Record.Steps, step => Assert.Empty(step.Commits));
        Assert.Contains(forged, restarted.CommitsOutsideCommitStep(plan).Select(commit => commit.Sha));
    }

    [Fact]
    public void A_step_commit_whose_record_write_died_is_adopted_at_the_next_start_because_it_matches_the_intent()
    {
        repository.WriteAndApprove();
        repository.Git.Write("src/value.txt", "a = 2\n");
        repository.Faults.CrashAt("commit-step:after-git-commit");
        Assert.Throws<SimulatedCrashException>(() => repository.Commit(1, "Write the value"));
        repository.Faults.OnReached = null;

        var committed = repository.Git.Head()!;
        Assert.NotNull(repository.Store.ReadRecord(Core.Plans.PlanId.Parse(WorkflowRepository.Id))!.PendingCommit);

        var restarted = repository.Restarted();
        Assert.Equal(1, restarted.Reconcile());

        var plan = restarted.ReadPlan(WorkflowRepository.Id);
        Assert.Equal(committed, plan.Record.Steps[0].Commits.Single().Sha);
        Assert.True(plan.Record.Steps[0].Done);
        Assert.Null(plan.Record.PendingCommit);
        Assert.Empty(restarted.CommitsOutsideCommitStep(plan));
    }

    public void Dispose() => repository.Dispose();
}
