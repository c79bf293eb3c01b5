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
        var http = VerbSymbols.Flag(command, "--http", "Serve over Streamable HTTP instead of stdio; each client's role comes from its token (mcpplan token create, docs/http.md).");
        var listen = VerbSymbols.Text(command, "--listen", "ADDR:PORT", "With --http: where to listen (default 127.0.0.1:7332, path /mcp).");
        var allowedHosts = new Option<string[]>("--allowed-host") { Description = "With --http: a Host name besides the listen address (a reverse proxy's); repeat for several.", HelpName = "NAME" };
        var allowedOrigins = new Option<string[]>("--allowed-origin") { Description = "With --http: a web origin allowed to call; repeat for several.", HelpName = "URL" };
        command.Options.Add(allowedHosts);
        command.Options.Add(allowedOrigins);
        var allowRemote = VerbSymbols.Flag(command, "--allow-remote", "With --http: allow a non-loopback listen address (TLS belongs to a reverse proxy).");
        var repo = VerbSymbols.Repo(command);
        command.SetAction((parsed, _) => ServeCommand.RunAsync(
            new ServeOptions(parsed.GetValue(role), parsed.GetValue(roleFromEnvironment), parsed.GetValue(logLevel), parsed.GetValue(repo),
                parsed.GetValue(http), parsed.GetValue(listen), parsed.GetValue(allowedHosts) ?? [], parsed.GetValue(allowedOrigins) ?? [], parsed.GetValue(allowRemote)),
            context.Error));
        return command;
    }
}
