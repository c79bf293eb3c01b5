namespace McpPlanServer.Core.Configuration;

/// <summary>How the server runs a plan's acceptance tests (the <c>acceptance</c> object of the config).</summary>
public sealed record AcceptanceSettings
{
    public int TimeoutSeconds { get; init; } = 600;

    /// <summary>When true (the default), a failed acceptance run refuses <c>submit_for_review</c> and <c>mcpplan integrate</c>.</summary>
    public bool RefuseHandInOnFailure { get; init; } = true;
}
