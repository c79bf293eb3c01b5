using System.CommandLine;
using McpPlanServer.Cli.Commands;

namespace McpPlanServer.Cli.Verbs;

/// <summary><c>mcpplan serve --role R</c>: the MCP server over stdio, started by the client.</summary>
internal static class ServeVerb
{
    public static Command Create(CliContext context)
    {
        var command = new Command("serve", "The MCP server over stdio for one role (started by the MCP client; stdout carries only MCP messages).");
        var role = VerbSymbols.Text(command, "--role", "planner|implementer|observer", "The role this server runs as; there is no default that can write.");
        var roleFromEnvironment = VerbSymbols.Flag(command, "--role-from-env", "The role from MCPPLAN_ROLE (unset: observer), for clients without ${VAR:-default}.");
        var logLevel = VerbSymbols.Text(command, "--log-level", "LEVEL", "trace, debug, information, warning (default) or error; logs go to stderr.");
        var repo = VerbSymbols.Repo(command);
        command.SetAction((parsed, _) => ServeCommand.RunAsync(
            new ServeOptions(parsed.GetValue(role), parsed.GetValue(roleFromEnvironment), parsed.GetValue(logLevel), parsed.GetValue(repo)), context.Error));
        return command;
    }
}
