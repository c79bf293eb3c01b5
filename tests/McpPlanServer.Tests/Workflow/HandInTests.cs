using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Tests.Workflow;

/// <summary>
/// The hand-in with the person's verification command, in process with a recording verifier: what it is asked (the
/// configured command, its timeout, the handed-in commit), a failure refusing the hand-in, and a plan or HEAD that
/// changed while it ran refusing the result.
/// </summary>
public sealed class HandInTests : IDisposable
{
    private readonly WorkflowRepository repository = new(verifyCommand: "make check", verifier: clock => new RecordingVerifier(clock));

    private RecordingVerifier Verifier => (RecordingVerifier)repository.Verifier;

    private Task<LoadedPlan> HandIn() => repository.Workflow.SubmitForReviewAsync(Actor.Implementer, WorkflowRepository.Id, CancellationToken.None);

    [Fact]
    public async Task The_verifier_runs_the_configured_command_on_the_handed_in_commit_and_its_failure_refuses_the_hand_in()
    {
        repository.ImplementBothSteps();
        var head = repository.Git.Head();
        Verifier.ExitCode = 2;

        var failed = await repository.RefusedAsync("verification_failed", HandIn);

        Assert.Contains("`make check` exited with 2", failed.Message);
        Assert.Contains(head![..12], failed.Message);
        var asked = Assert.Single(Verifier.Asked);
        Assert.Equal(("make check", TimeSpan.FromSeconds(60), head), asked);

        Verifier.ExitCode = 0;
        var handedIn = await HandIn();
        Assert.Equal(PlanStatus.InReview, handedIn.State.Status);
        Assert.Equal(head, handedIn.Record.HandedInCommit);
        Assert.True(handedIn.Record.LastVerification!.Passed);
        Assert.Equal(handedIn.Record.Revision, repository.Workflow.ReadPlan(WorkflowRepository.Id).Record.Revision);
    }

    [Fact]
    public async Task A_commit_made_while_the_verification_runs_refuses_the_result_as_head_moved()
    {
        repository.ImplementBothSteps();
        Verifier.WhileRunning = () => repository.Git.CommitWithCli("notes.txt", "meanwhile\n", "A commit during verification");

        var moved = await Assert.ThrowsAsync<PlanRefusedException>(HandIn);

        Assert.Equal("head_moved", moved.Code);
        Assert.Contains("Hand in again", moved.Message);
        Assert.Equal(PlanStatus.Implementing, repository.Workflow.ReadPlan(WorkflowRepository.Id).State.Status);
    }

    [Fact]
    public async Task A_plan_changed_while_the_verification_runs_refuses_the_result()
    {
        repository.ImplementBothSteps();
        Verifier.WhileRunning = () => repository.Restarted().ReportBlocker(Actor.Implementer, WorkflowRepository.Id, null, "Is the check enough?");

        var changed = await Assert.ThrowsAsync<PlanRefusedException>(HandIn);

        Assert.Equal("plan_changed", changed.Code);
        Assert.Equal(PlanStatus.Blocked, repository.Workflow.ReadPlan(WorkflowRepository.Id).State.Status);
    }

    public void Dispose() => repository.Dispose();
}
