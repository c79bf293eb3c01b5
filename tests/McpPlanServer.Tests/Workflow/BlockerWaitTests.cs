using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Tests.Workflow;

/// <summary>
/// The implementer's wait for the planner's answer to a blocker (issue 15 item 14), on the injected clock like the
/// planner's wait for approval: it ends with the answer, on abandonment or at the timeout, with progress every few seconds.
/// </summary>
public sealed class BlockerWaitTests : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    private readonly WorkflowRepository repository = new();
    private readonly List<TimeSpan> progress = [];

    private PlanWorkflow Workflow => repository.Workflow;

    private Task<BlockerAnswer> Wait(int? blockerId = null, TimeSpan? timeout = null) =>
        Workflow.AwaitAnswerAsync(WorkflowRepository.Id, blockerId, timeout ?? TimeSpan.FromMinutes(10), (_, waited, _) =>
        {
            lock (progress)
            {
                progress.Add(waited);
            }

            return ValueTask.CompletedTask;
        }, CancellationToken.None);

    private async Task Advance(TimeSpan by)
    {
        for (var moved = TimeSpan.Zero; moved < by; moved += Poll)
        {
            repository.Clock.Advance(Poll);
            await Task.Delay(2);
        }
    }

    private async Task<BlockerAnswer> Finish(Task<BlockerAnswer> waiting)
    {
        for (var poll = 0; poll < 10_000 && !waiting.IsCompleted; poll++)
        {
            repository.Clock.Advance(Poll);
            await Task.Delay(2);
        }

        Assert.True(waiting.IsCompleted, "the wait did not end");
        return await waiting;
    }

    [Fact]
    public async Task The_wait_returns_the_planners_answer_and_reports_progress_every_few_seconds_meanwhile()
    {
        repository.WriteAndApprove();
        var blocker = Workflow.ReportBlocker(Actor.Implementer, WorkflowRepository.Id, 1, "Which value: 2 or 3?").Blocker;
        var waiting = Wait();
        await Advance(TimeSpan.FromSeconds(20));
        Assert.False(waiting.IsCompleted);

        Workflow.AnswerBlocker(Actor.Planner, WorkflowRepository.Id, blocker.Id, "2, as the plan says.");
        var answered = await Finish(waiting);

        Assert.Equal(BlockerOutcome.Answered, answered.Outcome);
        Assert.Equal(blocker.Id, answered.Blocker.Id);
        Assert.Equal("2, as the plan says.", answered.Blocker.Answer);
        Assert.Equal(PlanStatus.Implementing, answered.Plan.State.Status);
        lock (progress)
        {
            // 20 s of waiting: a notice every 5 s (4 or 5 of them), not one per 0.5 s poll (40).
            Assert.InRange(progress.Count, 4, 6);
            Assert.Equal(progress.Order(), progress);
        }
    }

    [Fact]
    public async Task An_answer_already_given_returns_at_once_and_without_an_answer_the_wait_times_out()
    {
        repository.WriteAndApprove();
        var first = Workflow.ReportBlocker(Actor.Implementer, WorkflowRepository.Id, 1, "Which value?").Blocker;
        Workflow.AnswerBlocker(Actor.Planner, WorkflowRepository.Id, first.Id, "2.");
        Assert.Equal("2.", (await Wait(first.Id)).Blocker.Answer);

        Workflow.ReportBlocker(Actor.Implementer, WorkflowRepository.Id, 2, "Which shell?");
        var timedOut = await Finish(Wait(timeout: TimeSpan.FromSeconds(5)));

        Assert.Equal(BlockerOutcome.TimedOut, timedOut.Outcome);
        Assert.Equal("Which shell?", timedOut.Blocker.Question);
        Assert.Null(timedOut.Blocker.Answer);
        Assert.InRange(timedOut.Waited, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(6));
    }

    [Fact]
    public async Task An_abandoned_plan_ends_the_wait_and_an_unknown_or_missing_blocker_is_refused()
    {
        repository.WriteAndApprove();
        await Assert.ThrowsAsync<PlanRefusedException>(() => Wait());
        var blocker = Workflow.ReportBlocker(Actor.Implementer, WorkflowRepository.Id, 1, "Still needed?").Blocker;
        var unknown = await Assert.ThrowsAsync<PlanRefusedException>(() => Wait(blocker.Id + 5));
        Assert.Equal("blocker_not_found", unknown.Code);
        Assert.Contains($"Open blockers: {blocker.Id}", unknown.Message);

        var waiting = Wait();
        Workflow.Abandon(WorkflowRepository.Id, "Not needed any more.");

        Assert.Equal(BlockerOutcome.Abandoned, (await Finish(waiting)).Outcome);
    }

    public void Dispose() => repository.Dispose();
}
