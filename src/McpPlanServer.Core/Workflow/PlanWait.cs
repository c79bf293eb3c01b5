namespace McpPlanServer.Core.Workflow;

/// <summary>
/// A wait on a plan for someone else's move (the person's decision, the planner's answer): reads the plan every
/// <see cref="PollInterval"/> on the injected clock until <c>decided</c> gives an outcome or the timeout passes, and
/// reports progress every <see cref="ProgressInterval"/> (a notification per poll would flood the client for nothing).
/// </summary>
internal static class PlanWait
{
    /// <summary>How often the wait looks at the plan again; people answer in minutes, a read costs microseconds.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>How often the waiting client hears that the wait goes on.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);

    public static async Task<(LoadedPlan Plan, TOutcome? Outcome, TimeSpan Waited)> UntilAsync<TOutcome>(
        Func<LoadedPlan> read,
        Func<LoadedPlan, TOutcome?> decided,
        TimeProvider clock,
        TimeSpan timeout,
        Func<LoadedPlan, TimeSpan, CancellationToken, ValueTask>? progress,
        CancellationToken cancellationToken)
        where TOutcome : struct
    {
        var started = clock.GetTimestamp();
        TimeSpan? reported = null;
        while (true)
        {
            var plan = read();
            var outcome = decided(plan);
            var waited = clock.GetElapsedTime(started);
            if (outcome is not null || waited >= timeout)
            {
                return (plan, outcome, waited);
            }

            if (progress is not null && (reported is not { } last || waited - last >= ProgressInterval))
            {
                await progress(plan, waited, cancellationToken);
                reported = waited;
            }

            await Task.Delay(PollInterval, clock, cancellationToken);
        }
    }
}
