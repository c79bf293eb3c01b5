namespace McpPlanServer.Http.Tokens;

/// <summary>The tokens file as stored: every token ever issued for the repository, active or revoked.</summary>
public sealed record AccessTokenDocument
{
    public int Version { get; init; } = 1;

    public IReadOnlyList<AccessToken> Tokens { get; init; } = [];
}
