namespace McpPlanServer.Core.Configuration;

/// <summary>The verification command the person configured; it runs at hand-in. Never set by a tool.</summary>
public sealed record VerifySettings
{
    /// <summary>A shell command line run in the repository root (for example <c>dotnet test</c>); null disables verification.</summary>
    public string? Command { get; init; }

    public int TimeoutSeconds { get; init; } = 600;

    /// <summary>When true, a failed verification refuses <c>submit_for_review</c>.</summary>
    public bool RefuseHandInOnFailure { get; init; } = true;
}
