using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Tests.Workflow;

/// <summary>
/// The planner's side of approval in the core: which plan may be put to the person, and the wait for their decision on
/// the injected clock (a <see cref="Microsoft.Extensions.Time.Testing.FakeTimeProvider"/> here, so no test sleeps).
/// </summary>
public sealed class ApprovalWaitTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan ApprovalPoll = TimeSpan.FromMilliseconds(500);

    private readonly WorkflowRepository repository = new();
    private readonly List<TimeSpan> progress = [];

    private PlanWorkflow Workflow => repository.Workflow;

    private Task<ApprovalDecision> Wait(TimeSpan? timeout = null) => Workflow.AwaitDecisionAsync(WorkflowRepository.Id, timeout ?? Timeout, (_, waited, _) =>
    {
        lock (progress)
        {
            progress.Add(waited);
        }

        return ValueTask.CompletedTask;
    }, CancellationToken.None);

    private int Progressed
    {
        get
        {
            lock (progress)
            {
                return progress.Count;
            }
        }
    }

    /// <summary>Moves the fake clock on one poll at a time until <paramref name="done"/> (bounded, so a wait that never ends fails).</summary>
    private async Task AdvanceUntil(Func<bool> done)
    {
        for (var poll = 0; poll < 4 * (int)(Timeout / ApprovalPoll) && !done(); poll++)
        {
            repository.Clock.Advance(ApprovalPoll);
            await Task.Delay(2);
        }

        Assert.True(done(), "the clock ran past twice the timeout");
    }

    private async Task<ApprovalDecision> Finish(Task<ApprovalDecision> waiting)
    {
        await AdvanceUntil(() => waiting.IsCompleted);
        return await waiting;
    }

    [Fact]
    public async Task The_wait_ends_with_approved_when_the_person_approves_and_reports_progress_meanwhile()
    {
        Workflow.WritePlan(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.PlanText, null);
        var waiting = Wait();
        await AdvanceUntil(() => Progressed >= 3);

        Workflow.Approve(WorkflowRepository.Id, "Ada", ApprovalChannels.Board, null, Workflow.ReadPlan(WorkflowRepository.Id).TextSha256);
        var decision = await Finish(waiting);

        Assert.Equal(ApprovalOutcome.Approved, decision.Outcome);
        Assert.True(decision.Plan.ApprovalValid);
        Assert.True(decision.Waited >= TimeSpan.FromSeconds(1), $"waited {decision.Waited}");
        Assert.True(decision.Waited < Timeout);
        lock (progress)
        {
            Assert.True(progress.Count >= 3);
            Assert.Equal(progress.Order(), progress);
        }
    }

    [Fact]
    public async Task Without_a_decision_the_wait_times_out_on_the_injected_clock()
    {
        Workflow.WritePlan(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.PlanText, null);

        var decision = await Finish(Wait(TimeSpan.FromSeconds(5)));

        Assert.Equal(ApprovalOutcome.TimedOut, decision.Outcome);
        Assert.True(decision.Waited >= TimeSpan.FromSeconds(5));
        Assert.True(decision.Waited < TimeSpan.FromSeconds(6), $"waited {decision.Waited}");
        Assert.Equal(PlanStatus.AwaitingApproval, decision.Plan.State.Status);
    }

    [Fact]
    public async Task A_request_for_changes_already_standing_does_not_end_the_wait_but_a_new_one_does()
    {
        Workflow.WritePlan(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.PlanText, null);
        Workflow.RequestChanges(WorkflowRepository.Id, "Name the check's exit code.");
        var waiting = Wait();
        await AdvanceUntil(() => Progressed >= 2);
        Assert.False(waiting.IsCompleted);

        Workflow.WritePlan(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.PlanText + "\nThe check exits 1 on a wrong value.\n", 1);
        Workflow.RequestChanges(WorkflowRepository.Id, "And say what it prints.");
        var decision = await Finish(waiting);

        Assert.Equal(ApprovalOutcome.ChangesRequested, decision.Outcome);
        Assert.Equal("And say what it prints.", decision.Plan.Record.OwnerNote);
    }

    [Fact]
    public async Task An_abandoned_plan_ends_the_wait()
    {
        Workflow.WritePlan(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.PlanText, null);
        var waiting = Wait();

        Workflow.Abandon(WorkflowRepository.Id, "Not needed any more.");

        Assert.Equal(ApprovalOutcome.Abandoned, (await Finish(waiting)).Outcome);
    }

    [Fact]
    public void Only_a_plan_in_review_without_lint_errors_is_put_to_the_person()
    {
        Workflow.WritePlan(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.PlanText, null);
        var (plan, lint) = Workflow.ReadForApproval(WorkflowRepository.Id);
        Assert.Equal(WorkflowRepository.Id, plan.Id.Value);
        Assert.False(lint.HasErrors);

        Workflow.Approve(WorkflowRepository.Id, "Ada", ApprovalChannels.Board, null, plan.TextSha256);
        var active = repository.Refused("wrong_state", () => Workflow.ReadForApproval(WorkflowRepository.Id));
        Assert.Contains("only plans in Review wait for approval", active.Message);

        Directory.CreateDirectory(repository.PlansFile("Review"));
        File.WriteAllText(repository.PlansFile("Review/rough.md"), "no title, no sections\n");
        var rough = repository.Refused("lint_errors", () => Workflow.ReadForApproval("rough"));
        Assert.Contains("write_plan", rough.Message);
    }

    public void Dispose() => repository.Dispose();
}
