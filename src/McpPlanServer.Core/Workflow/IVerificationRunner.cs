using McpPlanServer.Core.Records;

namespace McpPlanServer.Core.Workflow;

/// <summary>Runs the person's verification command (from the config, never from a tool) in the repository.</summary>
public interface IVerificationRunner
{
    Task<VerificationResult> RunAsync(string command, TimeSpan timeout, string? headSha, CancellationToken cancellationToken);
}
