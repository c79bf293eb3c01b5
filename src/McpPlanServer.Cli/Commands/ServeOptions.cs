namespace McpPlanServer.Cli.Commands;

/// <summary>What <c>mcpplan serve</c> was started with.</summary>
/// <param name="Role">The role named with <c>--role</c>.</param>
/// <param name="RoleFromEnvironment"><c>--role-from-env</c>: the role from MCPPLAN_ROLE (unset: observer).</param>
/// <param name="LogLevel"><c>--log-level</c>, as written.</param>
/// <param name="Repo"><c>--repo</c>; null for the enclosing repository.</param>
public sealed record ServeOptions(string? Role, bool RoleFromEnvironment, string? LogLevel, string? Repo);
