using McpPlanServer.Cli.Composition;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Mcp.Hosting;
using Microsoft.Extensions.Logging;

namespace McpPlanServer.Cli.Commands;

/// <summary><c>mcpplan serve --role R</c>: the MCP server over stdio. There is no default role that can write.</summary>
public static class ServeCommand
{
    public static async Task<int> RunAsync(ServeOptions options, TextWriter error)
    {
        if (options.Http)
        {
            return await HttpServeCommand.RunAsync(options, error);
        }

        if (options.RoleFromEnvironment && options.Role is not null)
        {
            throw new UsageException("Give either --role or --role-from-env, not both.");
        }

        // --role-from-env: for clients that cannot write ${MCPPLAN_ROLE:-observer}; unset or empty is observer, like the hook.
        var roleName = options.RoleFromEnvironment
            ? Environment.GetEnvironmentVariable(Core.Security.AgentSessionMarkers.RoleVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : "observer"
            : options.Role;
        if (!ActorNames.TryParseAgentRole(roleName, out var role))
        {
            throw new UsageException(
                (roleName is null ? "serve needs --role (or --role-from-env)." : $"Unknown role '{roleName}'{(options.RoleFromEnvironment ? " in MCPPLAN_ROLE" : "")}.") +
                $" Valid roles: {string.Join(", ", ActorNames.AgentRoleNames)}. In .mcp.json the server is started with " +
                "\"args\": [\"serve\", \"--role\", \"${MCPPLAN_ROLE:-observer}\"], so start the client with MCPPLAN_ROLE=planner or MCPPLAN_ROLE=implementer.");
        }

        var logLevel = ParseLogLevel(options.LogLevel);

        var services = PlanServices.Open(RepositoryLocator.Find(options.Repo), TimeProvider.System);
        if (services.Recover(sweepCheckouts: false) is { } recovered)
        {
            await error.WriteLineAsync($"mcpplan: {recovered}");
        }

        // Not needed to answer initialize: swept beside the session (docs/benchmarks.md, "Cold start profile").
        var sweep = services.SweepCheckoutsInBackground(error);
        await PlanServerHost.RunAsync(role, services.Workflow, services.ChangeSource(TimeSpan.FromMilliseconds(500), watch: false), logLevel, CancellationToken.None, services.RepositoryRoot);
        await sweep;
        return CliApplication.Done;
    }

    public static LogLevel ParseLogLevel(string? logLevel) =>
        logLevel is { } level
            ? Enum.TryParse<LogLevel>(level, ignoreCase: true, out var parsed) ? parsed : throw new UsageException($"--log-level {level}: use trace, debug, information, warning or error.")
            : LogLevel.Warning;
}
