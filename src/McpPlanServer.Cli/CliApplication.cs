using McpPlanServer.Cli.Commands;
using McpPlanServer.Cli.Composition;
using McpPlanServer.Cli.Hooks;
using McpPlanServer.Cli.Init;
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

        The owner's commands:
          mcpplan status [--state review|active|completed]   plans with state, progress, score, age
          mcpplan show ID                                   one plan: approval, steps and commits, reviews, timeline
          mcpplan approve ID [--by NAME]                    approve the plan's current text (Review -> Active)
          mcpplan request-changes ID --note TEXT            send a plan (or a reviewed implementation) back
          mcpplan complete ID                               archive a verified plan in Completed
          mcpplan abandon ID --reason TEXT                  archive a plan with outcome abandoned
          mcpplan integrate ID [--into BRANCH]              merge a verified plan into the branch (verified on the merged tree), complete it
          mcpplan claims                                    implementer sessions' claims on plans (holder, fence, expiry)
          mcpplan release ID                                break a plan's claim (its holder's next commit is refused)
          mcpplan log [ID]                                  the journal: every transition and refusal
          mcpplan doctor                                    bad files in the plans root (links, corrupt records) and their repair
          mcpplan lint FILE                                 check a plan file (exit 1 on errors)
          mcpplan init [--share] [--dry-run] [--commit]              set a repository up (folders, config, .mcp.json, hooks)
          mcpplan hook                                      Claude Code PreToolUse hook (reads JSON on stdin)
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
            case "status":
            case "show":
            case "approve":
            case "request-changes":
            case "complete":
            case "abandon":
            case "log":
            case "doctor":
            case "claims":
            case "release":
            case "integrate":
            {
                var line = CommandLine.Parse(args, new HashSet<string> { "repo", "state", "by", "note", "reason", "into" }, NoValues);
                var services = PlanServices.Open(RepositoryLocator.Find(line.Value("repo")), clock);
                services.Recover();
                var commands = new OwnerCommands(services, output, clock);
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
                    "claims" => commands.ClaimList(line),
                    "release" => commands.Release(line),
                    _ => commands.Log(line),
                };
            }

            case "lint":
            {
                var line = CommandLine.Parse(args, new HashSet<string> { "repo" }, NoValues);
                var configPath = Path.Combine(RepositoryLocator.Find(line.Value("repo")), PlanServices.ConfigRelativePath);
                return LintCommand.Run(line, ConfigFile.Load(configPath), output);
            }

            case "init":
            {
                var line = CommandLine.Parse(args, new HashSet<string> { "repo" }, new HashSet<string> { "share", "dry-run", "commit" });
                line.RequireAtMostPositional(0);
                var root = line.Value("repo") is { } repo ? RepositoryLocator.Find(repo) : Directory.GetCurrentDirectory();
                return InitCommand.Run(new InitOptions(root, line.Has("share"), line.Has("dry-run"), Commit: line.Has("commit")), output, error);
            }

            case "hook":
                // Claude Code's PreToolUse hook: JSON on stdin, the role from the session's environment.
                return HookCommand.Run(Console.In, output, error, Environment.GetEnvironmentVariable("MCPPLAN_ROLE"));

            case "demo":
                return await new DemoCommand(output).RunAsync(CommandLine.Parse(args, new HashSet<string>(), new HashSet<string> { "keep" }));

            case "serve":
                return await ServeCommand.RunAsync(
                    CommandLine.Parse(args, new HashSet<string> { "repo", "role", "log-level" }, NoValues), error);

            default:
                throw new UsageException($"Unknown command '{args[0]}'.");
        }
    }
}
