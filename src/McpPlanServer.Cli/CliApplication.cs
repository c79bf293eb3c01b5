using McpPlanServer.Cli.Commands;
using McpPlanServer.Cli.Composition;
using McpPlanServer.Cli.Hooks;
using McpPlanServer.Cli.Init;
using McpPlanServer.Cli.Security;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;

namespace McpPlanServer.Cli;

/// <summary>
/// Dispatches <c>mcpplan</c> subcommands. Exit codes: 0 done, 1 refused (the reason on stderr), 2 usage.
/// </summary>
public static class CliApplication
{
    public const int Done = 0;
    public const int Refused = 1;
    public const int Usage = 2;

    private static readonly HashSet<string> NoValues = [];

    public const string UsageText = """
        mcpplan — plans, roles and evidence for AI coding sessions.

        Server (started by the MCP client, see .mcp.json):
          mcpplan serve --role planner|implementer|observer [--repo DIR]
          mcpplan serve --role-from-env [--repo DIR]        the role from MCPPLAN_ROLE (unset: observer), for clients without ${VAR:-default}
          mcpplan serve --http [--listen ADDR:PORT]         Streamable HTTP (default 127.0.0.1:7332, path /mcp); the role comes from each client's token
            [--allowed-host NAME] [--allowed-origin URL] [--allow-remote]   a reverse proxy's name, a trusted web origin, a non-loopback listen (docs/http.md)

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
          mcpplan token create --role ROLE --name NAME      issue a bearer token for serve --http (printed once, stored as a hash)
          mcpplan token list | token revoke NAME            the tokens issued; withdraw one
          mcpplan board [--port N] [--repo DIR]...          the local web board: every plan, the numbers, your decisions
          mcpplan dashboard [--out FILE]                    write PROJECT_DASHBOARD.md: status and next action per plan
          mcpplan lint FILE                                 check a plan file (exit 1 on errors)
          mcpplan init [--share] [--dry-run] [--commit] [--allow-machine-path]  set a repository up (folders, config, .mcp.json, hook, sandbox)
            [--client claude,codex,gemini,cursor,vscode,copilot|all]     which MCP clients to configure (default claude)
          mcpplan hook                                      Claude Code PreToolUse hook (reads JSON on stdin)
          mcpplan hook --client gemini                      the same policy as a Gemini CLI BeforeTool hook
          mcpplan hook --status                             which layers are in force here: hook, sandbox
          mcpplan demo [--keep]                             run the whole workflow on a scratch repository

        Every command accepts --repo DIR (default: the enclosing git repository).
        Exit codes: 0 done, 1 refused (reason on stderr), 2 usage error.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
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
            return await DispatchAsync(args, output, error);
        }
        catch (UsageException usage)
        {
            error.WriteLine($"mcpplan: {usage.Message}");
            error.WriteLine("Run 'mcpplan help' for the commands and their options.");
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

    private static async Task<int> DispatchAsync(string[] args, TextWriter output, TextWriter error)
    {
        var clock = TimeProvider.System;
        switch (args[0])
        {
            case "doctor" when args.Contains("--clients"):
            {
                // Per MCP client, what is enforced here: server roles, hook, sandbox, portable configuration.
                var line = CommandLine.Parse(args, new HashSet<string> { "repo" }, new HashSet<string> { "clients" });
                line.RequireAtMostPositional(0);
                var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
                foreach (var text in ClientDoctor.Describe(RepositoryLocator.Find(line.Value("repo")), Environment.GetEnvironmentVariable("PATH"), home))
                {
                    output.WriteLine(text);
                }

                return Done;
            }

            case "status":
            case "show":
            case "approve":
            case "request-changes":
            case "complete":
            case "abandon":
            case "log":
            case "doctor":
            case "repair":
            case "claims":
            case "release":
            case "integrate":
            {
                var line = CommandLine.Parse(args, new HashSet<string> { "repo", "state", "by", "note", "reason", "sha", "into" }, NoValues);
                var session = OwnerSession.Current();
                if (OwnerCommands.Decisions.Contains(line.Command))
                {
                    OwnerSession.RequirePerson(session, line.Command);
                }

                var services = PlanServices.Open(RepositoryLocator.Find(line.Value("repo")), clock);
                services.Recover();
                var commands = new OwnerCommands(services, output, clock, session);
                if (line.Command == "integrate")
                {
                    return await commands.IntegrateAsync(line);
                }

                return line.Command switch
                {
                    "status" => commands.Status(line),
                    "show" => commands.Show(line),
                    "approve" => commands.Approve(line),
                    "request-changes" => commands.RequestChanges(line),
                    "complete" => commands.Complete(line),
                    "abandon" => commands.Abandon(line),
                    "doctor" => commands.Doctor(line),
                    "repair" => commands.Repair(line),
                    "claims" => commands.ClaimList(line),
                    "release" => commands.Release(line),
                    _ => commands.Log(line),
                };
            }

            case "board":
                return await BoardCommand.RunAsync(
                    CommandLine.Parse(args, new HashSet<string> { "repo", "port" }, NoValues), output, error, CancellationToken.None);

            case "dashboard":
            {
                var line = CommandLine.Parse(args, new HashSet<string> { "repo", "out" }, NoValues);
                var services = PlanServices.Open(RepositoryLocator.Find(line.Value("repo")), clock);
                services.Recover();
                return DashboardCommand.Run(line, services, output, clock);
            }

            case "lint":
            {
                var line = CommandLine.Parse(args, new HashSet<string> { "repo" }, NoValues);
                var configPath = Path.Combine(RepositoryLocator.Find(line.Value("repo")), PlanServices.ConfigRelativePath);
                return LintCommand.Run(line, ConfigFile.Load(configPath), output);
            }

            case "init":
            {
                var line = CommandLine.Parse(args, new HashSet<string> { "repo", "client" }, new HashSet<string> { "share", "dry-run", "commit", "allow-machine-path" });
                line.RequireAtMostPositional(0);
                var root = line.Value("repo") is { } repo ? RepositoryLocator.Find(repo) : Directory.GetCurrentDirectory();
                return InitCommand.Run(new InitOptions(root, line.Has("share"), line.Has("dry-run"), AllowMachinePath: line.Has("allow-machine-path"), Commit: line.Has("commit"), Clients: InitClients.Parse(line.Value("client"))), output, error);
            }

            case "hook" when args.Length > 1:
            {
                // `mcpplan hook --status`: which client-side layers are in force here (the hook itself takes no options).
                var line = CommandLine.Parse(args, new HashSet<string> { "repo", "client" }, new HashSet<string> { "status" });
                line.RequireAtMostPositional(0);
                if (!line.Has("status") && line.Value("client") is { } client)
                {
                    // `mcpplan hook --client gemini`: the same policy, answered in that client's hook format.
                    return HookCommand.Run(Console.In, output, error, Environment.GetEnvironmentVariable("MCPPLAN_ROLE"), HookEnvironment.FromProcess(), client);
                }

                if (!line.Has("status"))
                {
                    throw new UsageException("mcpplan hook takes no arguments (Claude Code sends the call on stdin); `mcpplan hook --status` reports the layers in force.");
                }

                foreach (var layer in EnforcementLayers.Describe(RepositoryLocator.Find(line.Value("repo")), Environment.GetEnvironmentVariable("PATH")))
                {
                    output.WriteLine(layer);
                }

                return Done;
            }

            case "hook":
                // Claude Code's PreToolUse hook: JSON on stdin, the role from the session's environment.
                return HookCommand.Run(Console.In, output, error, Environment.GetEnvironmentVariable("MCPPLAN_ROLE"));

            case "demo":
                return await new DemoCommand(output).RunAsync(CommandLine.Parse(args, new HashSet<string>(), new HashSet<string> { "keep" }));

            case "serve":
                return await ServeCommand.RunAsync(
                    CommandLine.Parse(args, new HashSet<string> { "repo", "role", "log-level", "listen", "allowed-host", "allowed-origin" }, new HashSet<string> { "role-from-env", "http", "allow-remote" }), error);

            case "token":
                return TokenCommand.Run(CommandLine.Parse(args, new HashSet<string> { "repo", "role", "name" }, NoValues), output, error, OwnerSession.Current());

            default:
                throw new UsageException($"Unknown command '{args[0]}'.");
        }
    }
}
