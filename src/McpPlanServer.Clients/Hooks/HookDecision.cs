namespace McpPlanServer.Clients.Hooks;

/// <summary>The hook's answer for one tool call: allowed (continue with the normal permission flow) or denied with a reason.</summary>
internal sealed record HookDecision(bool IsDenied, string? Reason)
{
    public static HookDecision Allow { get; } = new(false, null);

    public static HookDecision Deny(string reason) => new(true, reason);
}
