namespace McpPlanServer.Cli.Commands;

/// <summary>What <c>mcpplan serve</c> was started with.</summary>
/// <param name="Role">The role named with <c>--role</c>.</param>
/// <param name="RoleFromEnvironment"><c>--role-from-env</c>: the role from MCPPLAN_ROLE (unset: observer).</param>
/// <param name="LogLevel"><c>--log-level</c>, as written.</param>
/// <param name="Repo"><c>--repo</c>; null for the enclosing repository.</param>
/// <param name="Http"><c>--http</c>: Streamable HTTP instead of stdio; roles come from tokens.</param>
/// <param name="Listen"><c>--listen ADDR:PORT</c> (HTTP only).</param>
/// <param name="AllowedHosts"><c>--allowed-host</c>, repeated: Host names besides the listen address (a reverse proxy's).</param>
/// <param name="AllowedOrigins"><c>--allowed-origin</c>, repeated: web origins allowed to call.</param>
/// <param name="AllowRemote"><c>--allow-remote</c>: a non-loopback listen address.</param>
public sealed record ServeOptions(string? Role, bool RoleFromEnvironment, string? LogLevel, string? Repo,
    bool Http = false, string? Listen = null, IReadOnlyList<string>? AllowedHosts = null, IReadOnlyList<string>? AllowedOrigins = null, bool AllowRemote = false);
