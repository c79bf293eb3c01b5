using McpPlanServer.Cli.Composition;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Mcp.Hosting;
using Microsoft.Extensions.Logging;

namespace McpPlanServer.Cli.Commands;

/// <summary><c>mcpplan serve --role R</c>: the MCP server over stdio. There is no default role that can write.</summary>
public static class ServeCommand
{
    public static async Task<int> RunAsync(CommandLine line, TextWriter error)
    {
        if (line.Has("http"))
        {
            return await HttpServeCommand.RunAsync(line, error);
        }

        line.RequireAtMostPositional(0);
        if (line.Has("role-from-env") && line.Value("role") is not null)
        {
            throw new UsageException("Give either --role or --role-from-env, not both.");
        }

        // --role-from-env: for clients that cannot write ${MCPPLAN_ROLE:-observer}; unset or empty is observer, like the hook.
        var roleName = line.Has("role-from-env")
            ? Environment.GetEnvironmentVariable(Core.Security.AgentSessionMarkers.RoleVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : "observer"
            : line.Value("role");
        if (!ActorNames.TryParseAgentRole(roleName, out var role))
        {
            throw new UsageException(
                (roleName is null ? "serve needs --role (or --role-from-env)." : $"Unknown role '{roleName}'{(line.Has("role-from-env") ? " in MCPPLAN_ROLE" : "")}.") +
                $" Valid roles: {string.Join(", ", ActorNames.AgentRoleNames)}. In .mcp.json the server is started with " +
                "\"args\": [\"serve\", \"--role\", \"${MCPPLAN_ROLE:-observer}\"], so start the client with MCPPLAN_ROLE=planner or MCPPLAN_ROLE=implementer.");
        }

        var logLevel = ParseLogLevel(line);

        var services = PlanServices.Open(RepositoryLocator.Find(line.Value("repo")), TimeProvider.System);
        if (services.Recover() is { } recovered)
        {
            await error.WriteLineAsync($"mcpplan: {recovered}");
        }

        await PlanServerHost.RunAsync(role, services.Workflow, services.Store.RootPath, logLevel, CancellationToken.None, services.RepositoryRoot);
        return CliApplication.Done;
    }

    public static LogLevel ParseLogLevel(CommandLine line) =>
        line.Value("log-level") is { } level
            ? Enum.TryParse<LogLevel>(level, ignoreCase: true, out var parsed) ? parsed : throw new UsageException($"--log-level {level}: use trace, debug, information, warning or error.")
            : LogLevel.Warning;
}
