using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Records;

namespace McpPlanServer.Core.Workflow;

/// <summary>
/// The implementer's wait for the planner's answer to a blocker (like the planner's wait for approval): nothing here
/// changes a plan; the answer is the planner's (<see cref="PlannerCommands.AnswerBlocker"/>).
/// </summary>
internal sealed class BlockerAnswers(PlanReader reader, TimeProvider clock)
{
    /// <summary>
    /// Waits until blocker <paramref name="blockerId"/> (default: the plan's latest open one) is answered, the plan is
    /// abandoned, or <paramref name="timeout"/> passes on the injected clock. An answer already given returns at once.
    /// </summary>
    public async Task<BlockerAnswer> AwaitAnswerAsync(string id, int? blockerId, TimeSpan timeout, Func<LoadedPlan, TimeSpan, CancellationToken, ValueTask>? progress, CancellationToken cancellationToken)
    {
        var first = reader.ReadPlan(id);
        var target = Target(first, blockerId);
        var (plan, outcome, waited) = await PlanWait.UntilAsync(
            () => reader.ReadPlan(id),
            current => Decided(current, target),
            clock,
            timeout,
            progress,
            cancellationToken);
        var blocker = plan.Record.Blockers.FirstOrDefault(candidate => candidate.Id == target) ?? first.Record.Blockers.First(candidate => candidate.Id == target);
        return new BlockerAnswer(plan, blocker, outcome ?? BlockerOutcome.TimedOut, waited);
    }

    private static int Target(LoadedPlan plan, int? blockerId)
    {
        if (blockerId is { } given)
        {
            return plan.Record.Blockers.Any(blocker => blocker.Id == given)
                ? given
                : throw new PlanRefusedException(
                    RefusalCodes.BlockerNotFound,
                    $"Plan '{plan.Id}' has no blocker {given}. Open blockers: {WorkflowGuards.OpenBlockerList(plan.Record)}.");
        }

        return plan.Record.OpenBlockers.LastOrDefault()?.Id
            ?? throw new PlanRefusedException(
                RefusalCodes.BlockerNotFound,
                $"Plan '{plan.Id}' has no open blocker to wait for. Report one with report_blocker first; answered ones are in read_active_plan under answered_blockers.");
    }

    private static BlockerOutcome? Decided(LoadedPlan plan, int target) =>
        plan.Record.Blockers.FirstOrDefault(blocker => blocker.Id == target) is { IsOpen: false } ? BlockerOutcome.Answered
        : plan.State.Folder == PlanFolder.Completed ? BlockerOutcome.Abandoned
        : null;
}
