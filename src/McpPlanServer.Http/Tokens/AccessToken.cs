using System.Text.Json.Serialization;

namespace McpPlanServer.Http.Tokens;

/// <summary>
/// One bearer token the person issued for the HTTP server: its name, the role it grants, and the SHA-256 of the token
/// (the token itself is shown once, when it is created, and never stored). A revoked token stays listed with its time.
/// </summary>
public sealed record AccessToken
{
    public required string Name { get; init; }

    /// <summary>planner, implementer or observer.</summary>
    public required string Role { get; init; }

    /// <summary>SHA-256 of the token (lower-case hex).</summary>
    public required string Sha256 { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }

    [JsonIgnore]
    public bool IsActive => RevokedAt is null;

    /// <summary>Names a token in logs, the journal and session binding without revealing it: the name and the hash's first 12 characters.</summary>
    [JsonIgnore]
    public string Identity => $"{Name}#{Sha256[..12]}";
}
