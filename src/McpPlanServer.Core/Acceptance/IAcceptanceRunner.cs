using McpPlanServer.Core.Records;

namespace McpPlanServer.Core.Acceptance;

/// <summary>Runs a plan's acceptance command on a clean checkout of a commit with the pinned test files laid over it.</summary>
public interface IAcceptanceRunner
{
    Task<AcceptanceResult> RunAsync(string command, TimeSpan timeout, string commitSha, IReadOnlyList<AcceptanceFile> pinned, CancellationToken cancellationToken);
}
