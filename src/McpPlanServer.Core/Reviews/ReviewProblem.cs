using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Core.Reviews;

/// <summary>One thing wrong with a submitted review; all of them are reported in one refusal, not one per call.</summary>
public sealed record ReviewProblem(string Code, string Message)
{
    public static void ThrowIfAny(IReadOnlyList<ReviewProblem> problems)
    {
        if (problems.Count == 1)
        {
            throw new PlanRefusedException(problems[0].Code, problems[0].Message);
        }

        if (problems.Count > 1)
        {
            throw new PlanRefusedException(
                problems.Select(problem => problem.Code).Distinct(StringComparer.Ordinal).Count() == 1 ? problems[0].Code : RefusalCodes.InvalidReview,
                $"The review has {problems.Count} problems; fix all of them and submit again: " +
                string.Join(" ", problems.Select((problem, index) => $"({index + 1}) {problem.Message}")));
        }
    }
}
