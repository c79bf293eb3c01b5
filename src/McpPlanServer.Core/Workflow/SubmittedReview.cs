using McpPlanServer.Core.Records;
using McpPlanServer.Core.Reviews;

namespace McpPlanServer.Core.Workflow;

/// <summary>A review as recorded, its scoring, and the plan as it was saved under the lock.</summary>
public sealed record SubmittedReview(ReviewRecord Review, ReviewOutcome Outcome)
{
    public required LoadedPlan Plan { get; init; }
}
