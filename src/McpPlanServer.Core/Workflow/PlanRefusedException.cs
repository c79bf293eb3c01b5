namespace McpPlanServer.Core.Workflow;

/// <summary>
/// A business refusal: the request was understood and deliberately not carried out, and nothing changed.
/// The message is written for the caller and always names what to do next; adapters show it verbatim
/// (an MCP <c>isError</c> result, CLI exit code 1).
/// </summary>
public sealed class PlanRefusedException(string code, string message) : Exception(message)
{
    /// <summary>A stable, machine-readable reason such as <c>stale_revision</c> or <c>repository_busy</c>.</summary>
    public string Code { get; } = code;
}
