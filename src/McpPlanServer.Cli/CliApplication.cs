using System.CommandLine;
using McpPlanServer.Cli.Commands;
using McpPlanServer.Cli.Verbs;
using McpPlanServer.Clients.Hooks;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Cli;

/// <summary>
/// Runs <c>mcpplan</c>: the commands are parsed by System.CommandLine (<see cref="CliCommands"/>), each with its own
/// options and <c>--help</c>. Exit codes: 0 done, 1 refused (the reason on stderr), 2 usage.
/// </summary>
public static class CliApplication
{
    public const int Done = 0;
    public const int Refused = 1;
    public const int Usage = 2;

    public const string UsageText = """
        mcpplan — plans, roles and evidence for AI coding sessions.

        Server (started by the MCP client, see .mcp.json):
          mcpplan serve --role planner|implementer|observer [--repo DIR]
          mcpplan serve --http [--listen ADDR:PORT]         Streamable HTTP (default 127.0.0.1:7332, path /mcp); the role comes from each client's token
            [--allowed-host NAME] [--allowed-origin URL] [--allow-remote]   a reverse proxy's name, a trusted web origin, a non-loopback listen (docs/http.md)
          mcpplan serve --role-from-env [--repo DIR]        the role from MCPPLAN_ROLE (unset: observer), for clients without ${VAR:-default}

        The owner's commands:
          mcpplan status [--state review|active|completed]   plans with state, progress, score, age
          mcpplan show ID                                   one plan: approval, steps and commits, reviews, timeline
          mcpplan approve ID --sha PREFIX [--by NAME]       approve the text you read (show prints its hash) (Review -> Active)
          mcpplan request-changes ID --note TEXT            send a plan (or a reviewed implementation) back
          mcpplan complete ID                               archive a verified plan in Completed
          mcpplan abandon ID --reason TEXT                  archive a plan with outcome abandoned
          mcpplan log [ID]                                  the journal: every transition and refusal, and tamper evidence
          mcpplan repair ID                                 accept a plan's files after tampering was reported (withdraws a changed approval)
          mcpplan integrate ID [--into BRANCH]              merge a verified plan into the branch (verified on the merged tree), complete it
          mcpplan claims                                    implementer sessions' claims on plans (holder, fence, expiry)
          mcpplan release ID                                break a plan's claim (its holder's next commit is refused)
          mcpplan doctor                                    bad files in the plans root (links, corrupt records) and their repair
          mcpplan doctor --clients                          per MCP client: what is enforced here (server roles, hook, sandbox)
          mcpplan board [--port N] [--repo DIR]...          the local web board: every plan, the numbers, your decisions
          mcpplan dashboard [--out FILE]                    write PROJECT_DASHBOARD.md: status and next action per plan
          mcpplan lint FILE                                 check a plan file (exit 1 on errors)
          mcpplan init [--share] [--dry-run] [--commit] [--allow-machine-path]  set a repository up (folders, config, .mcp.json, hook, sandbox)
            [--client claude,codex,gemini,cursor,vscode,copilot|all]     which MCP clients to configure (default claude)
          mcpplan init --store postgres://USER@HOST/DB [--store-repository ID]  keep this repository's plans in PostgreSQL (docs/postgres.md)
          mcpplan store import|export                       move the plans between the files and the database, then compare both
          mcpplan token create --role ROLE --name NAME      issue a bearer token for serve --http (printed once, stored as a hash)
          mcpplan token list | token revoke NAME            the tokens issued; withdraw one
          mcpplan hook                                      Claude Code PreToolUse hook (reads JSON on stdin)
          mcpplan hook --client gemini|codex                the same policy as a Gemini CLI BeforeTool / Codex CLI PreToolUse hook
          mcpplan hook --status                             which layers are in force here: hook, sandbox
          mcpplan demo [--keep]                             run the whole workflow on a scratch repository

        Every command accepts --repo DIR (default: the enclosing git repository); mcpplan COMMAND --help lists its options.
        mcpplan --version prints the version.
        Exit codes: 0 done, 1 refused (reason on stderr), 2 usage error.
        """;

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        // The hook runs once per tool call of the agent, so it starts before the command line parser is even built:
        // building and running System.CommandLine's parser cost the hook measurable start-up time (docs/benchmarks.md).
        if (args is ["hook"] or ["hook", "--client", _])
        {
            return Task.FromResult(RunHook(args.Length == 3 ? args[2] : null, output, error));
        }

        return RunCommandAsync(args, output, error);
    }

    /// <summary>A client's pre-tool hook: the role from the session's environment, the call on stdin, the answer on stdout.</summary>
    internal static int RunHook(string? client, TextWriter output, TextWriter error) =>
        HookCommand.Run(Console.In, output, error, Environment.GetEnvironmentVariable("MCPPLAN_ROLE"), HookEnvironment.FromProcess(), client);

    private static async Task<int> RunCommandAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            (args.Length == 0 ? error : output).WriteLine(UsageText);
            return args.Length == 0 ? Usage : Done;
        }

        if (args[0] is "--version" or "version")
        {
            output.WriteLine(typeof(CliApplication).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
            return Done;
        }

        try
        {
            if (ServeVerb.TryReadStdio(args) is { } stdio)
            {
                return await ServeCommand.RunAsync(stdio, error);
            }

            var parsed = CliCommands.Create(new CliContext(output, error, TimeProvider.System)).Parse(args, CliCommands.Parsing);
            if (parsed.Errors.Count > 0)
            {
                foreach (var problem in parsed.Errors)
                {
                    error.WriteLine($"mcpplan: {problem.Message}");
                }

                var command = parsed.CommandResult.Command;
                error.WriteLine(command is RootCommand ? "Run 'mcpplan help' for the commands and their options." : $"Run 'mcpplan {command.Name} --help' for its options.");
                return Usage;
            }

            // No signal handling by the parser: serve and board stop on Ctrl+C and SIGTERM through their own hosts.
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        catch (UsageException usage)
        {
            error.WriteLine($"mcpplan: {usage.Message}");
            error.WriteLine($"Run 'mcpplan {args[0]} --help' for its options.");
            return Usage;
        }
        catch (PlanRefusedException refusal)
        {
            error.WriteLine($"mcpplan: refused ({refusal.Code}): {refusal.Message}");
            return Refused;
        }
        catch (Exception unexpected) when (unexpected is not OperationCanceledException)
        {
            // Never a stack trace for the person: one line that says what broke; MCPPLAN_DEBUG=1 shows the details.
            error.WriteLine($"mcpplan: {args[0]} failed unexpectedly ({unexpected.GetType().Name}): {unexpected.Message}");
            if (Environment.GetEnvironmentVariable("MCPPLAN_DEBUG") == "1")
            {
                error.WriteLine(unexpected.ToString());
            }

            return Refused;
        }
    }
}
