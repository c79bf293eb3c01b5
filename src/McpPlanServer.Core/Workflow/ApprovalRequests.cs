using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;

namespace McpPlanServer.Core.Workflow;

/// <summary>
/// The planner's side of approval: which plan may be put to the person, and waiting for their decision. The decision
/// itself is the person's (<see cref="OwnerDecisions"/>); nothing here changes a plan.
/// </summary>
internal sealed class ApprovalRequests(PlanReader reader, PlanServerConfig config, TimeProvider clock)
{
    /// <summary>The plan to put to the person, with its lint: only a plan in Review without lint errors waits for approval.</summary>
    public (LoadedPlan Plan, LintReport Lint) ReadForApproval(string id)
    {
        var plan = reader.ReadPlan(id);
        if (plan.State.Folder != PlanFolder.Review)
        {
            throw new PlanRefusedException(RefusalCodes.WrongState, $"Plan '{plan.Id}' is {plan.State}; only plans in Review wait for approval. {PlanLifecycle.NextStepHint(plan.State, plan.Id.Value)}");
        }

        var lint = PlanLinter.Lint(plan.Document, new LintOptions(config.RequiredSections) { PlansRoot = reader.Store.PlansRoot });
        if (lint.HasErrors)
        {
            throw new PlanRefusedException(RefusalCodes.LintErrors, $"Plan '{plan.Id}' has {lint.Summary}; fix them with write_plan before asking for approval.");
        }

        return (plan, lint);
    }

    /// <summary>
    /// Waits until the person approves the current text, requests changes (a new request, not one already standing when
    /// the wait began) or abandons the plan, or until <paramref name="timeout"/> passes on the injected clock.
    /// <paramref name="progress"/> hears the time waited every few seconds (<see cref="PlanWait.ProgressInterval"/>).
    /// </summary>
    public async Task<ApprovalDecision> AwaitDecisionAsync(string id, TimeSpan timeout, Func<LoadedPlan, TimeSpan, CancellationToken, ValueTask>? progress, CancellationToken cancellationToken)
    {
        var first = reader.ReadPlan(id);
        var (plan, outcome, waited) = await PlanWait.UntilAsync(() => reader.ReadPlan(id), current => Decided(current, first), clock, timeout, progress, cancellationToken);
        return new ApprovalDecision(plan, outcome ?? ApprovalOutcome.TimedOut, waited);
    }

    private static ApprovalOutcome? Decided(LoadedPlan plan, LoadedPlan first) => plan.State switch
    {
        { Folder: PlanFolder.Active } when plan.ApprovalValid => ApprovalOutcome.Approved,
        { Folder: PlanFolder.Completed, Status: PlanStatus.Abandoned } => ApprovalOutcome.Abandoned,
        { Folder: PlanFolder.Review, Status: PlanStatus.ChangesRequested } when first.State.Status != PlanStatus.ChangesRequested || plan.Record.Revision != first.Record.Revision
            => ApprovalOutcome.ChangesRequested,
        _ => null,
    };
}
