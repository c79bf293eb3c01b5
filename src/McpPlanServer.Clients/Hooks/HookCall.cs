using System.Text.Json.Nodes;

namespace McpPlanServer.Clients.Hooks;

/// <summary>One client's hook input, read: the calls the policy judges (one denied call denies them all) and how that client wants the answer.</summary>
/// <param name="Requests">At least one call, in the policy's terms (Edit, Write, Bash, or another tool that passes).</param>
/// <param name="Answer">The client's JSON for a decision, or null when an allowed call gets no output.</param>
internal sealed record HookCall(IReadOnlyList<HookRequest> Requests, Func<HookDecision, JsonObject?> Answer)
{
    /// <summary>
    /// Set (to the client's name) for an event that reports an edit already made (Cursor's <c>afterFileEdit</c>): nothing
    /// can be blocked, so an edit the policy denies is recorded in the plan store for the server to report.
    /// </summary>
    public string? ObservedBy { get; init; }
}
