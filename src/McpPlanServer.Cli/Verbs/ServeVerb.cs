using System.CommandLine;
using McpPlanServer.Cli.Commands;

namespace McpPlanServer.Cli.Verbs;

/// <summary><c>mcpplan serve --role R</c>: the MCP server over stdio, started by the client.</summary>
internal static class ServeVerb
{
    public const string Name = "serve";

    /// <summary>The options a stdio server is started with: each takes one value, except the flag <c>--role-from-env</c>.</summary>
    private static readonly string[] StdioOptionsWithValue = ["--role", "--log-level", "--repo"];

    private const string RoleFromEnvironment = "--role-from-env";

    /// <summary>Words System.CommandLine reads as its help option wherever they stand, even in a value's place.</summary>
    private static readonly string[] HelpWords = ["/h", "/?"];

    public static Command Create(CliContext context) => Create(options => ServeCommand.RunAsync(options, context.Error));

    /// <summary>The command, with what runs the server given separately so tests can compare parses.</summary>
    internal static Command Create(Func<ServeOptions, Task<int>> run)
    {
        var command = new Command(Name, "The MCP server over stdio for one role (started by the MCP client; stdout carries only MCP messages).");
        var role = VerbSymbols.Text(command, "--role", "planner|implementer|observer", "The role this server runs as; there is no default that can write.");
        var roleFromEnvironment = VerbSymbols.Flag(command, RoleFromEnvironment, "The role from MCPPLAN_ROLE (unset: observer), for clients without ${VAR:-default}.");
        var logLevel = VerbSymbols.Text(command, "--log-level", "LEVEL", "trace, debug, information, warning (default) or error; logs go to stderr.");
        var http = VerbSymbols.Flag(command, "--http", "Serve over Streamable HTTP instead of stdio; each client's role comes from its token (mcpplan token create, docs/http.md).");
        var listen = VerbSymbols.Text(command, "--listen", "ADDR:PORT", "With --http: where to listen (default 127.0.0.1:7332, path /mcp).");
        var allowedHosts = new Option<string[]>("--allowed-host") { Description = "With --http: a Host name besides the listen address (a reverse proxy's); repeat for several.", HelpName = "NAME" };
        var allowedOrigins = new Option<string[]>("--allowed-origin") { Description = "With --http: a web origin allowed to call; repeat for several.", HelpName = "URL" };
        command.Options.Add(allowedHosts);
        command.Options.Add(allowedOrigins);
        var allowRemote = VerbSymbols.Flag(command, "--allow-remote", "With --http: allow a non-loopback listen address (TLS belongs to a reverse proxy).");
        var repo = VerbSymbols.Repo(command);
        command.SetAction((parsed, _) => run(
            new ServeOptions(parsed.GetValue(role), parsed.GetValue(roleFromEnvironment), parsed.GetValue(logLevel), parsed.GetValue(repo),
                parsed.GetValue(http), parsed.GetValue(listen), parsed.GetValue(allowedHosts) ?? [], parsed.GetValue(allowedOrigins) ?? [], parsed.GetValue(allowRemote))));
        return command;
    }

    /// <summary>
    /// The stdio server's usual command lines (<c>serve</c> with <c>--role V</c>, <c>--role-from-env</c>, <c>--log-level V</c>,
    /// <c>--repo V</c>, each at most once, every value a plain word) read without building the command line parser: an MCP
    /// client starts the server for every session, and building System.CommandLine's 21 commands was a tenth of its start-up
    /// (docs/benchmarks.md). Null for anything else (help, HTTP, a repeated or unknown option, <c>--role=V</c>, a value
    /// starting with <c>-</c>), which the parser then reads, with its errors; where both read a line they read it the same
    /// (CommandLineTests).
    /// </summary>
    public static ServeOptions? TryReadStdio(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] != Name)
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var fromEnvironment = false;
        for (var i = 1; i < args.Count; i++)
        {
            if (args[i] == RoleFromEnvironment && !fromEnvironment)
            {
                fromEnvironment = true;
            }
            else if (StdioOptionsWithValue.Contains(args[i]) && i + 1 < args.Count && args[i + 1] is { Length: > 0 } value && !value.StartsWith('-')
                && !HelpWords.Contains(value) && values.TryAdd(args[i], value))
            {
                i++;
            }
            else
            {
                return null;
            }
        }

        return new ServeOptions(values.GetValueOrDefault("--role"), fromEnvironment, values.GetValueOrDefault("--log-level"), values.GetValueOrDefault("--repo"),
            AllowedHosts: [], AllowedOrigins: []);
    }
}
