namespace McpPlanServer.Http.Tokens;

/// <summary>What <c>token create</c> returns: the secret (shown to the person once, never stored) and its record.</summary>
public sealed record IssuedToken(string Secret, AccessToken Record);
