using System.CommandLine;
using McpPlanServer.Cli.Commands;
using McpPlanServer.Cli.Composition;
using McpPlanServer.Clients.Init;

namespace McpPlanServer.Cli.Verbs;

/// <summary>
/// <c>mcpplan hook [--client NAME]</c>: a client's pre-tool hook (the call on stdin), and <c>mcpplan hook --status</c>. The
/// plain <c>mcpplan hook</c> and <c>mcpplan hook --client NAME</c> that clients run on every tool call are dispatched by
/// <see cref="CliApplication"/> before this parser is built; this definition gives them help and the other forms.
/// </summary>
internal static class HookVerb
{
    public static Command Create(CliContext context)
    {
        var command = new Command("hook", "A client's pre-tool hook: reads the tool call on stdin and answers in that client's format (default: Claude Code's PreToolUse).");
        var client = VerbSymbols.Text(command, "--client", "NAME", "The client whose hook format to speak: claude (default), codex or gemini.");
        var status = VerbSymbols.Flag(command, "--status", "Instead: which client-side layers (hook, sandbox) are in force here.");
        var repo = VerbSymbols.Repo(command);
        command.SetAction(parsed =>
        {
            if (!parsed.GetValue(status))
            {
                return parsed.GetValue(client) is null && parsed.GetValue(repo) is not null
                    ? throw new UsageException("mcpplan hook takes no arguments (Claude Code sends the call on stdin); `mcpplan hook --status` reports the layers in force.")
                    : CliApplication.RunHook(parsed.GetValue(client), context.Output, context.Error);
            }

            foreach (var layer in EnforcementLayers.Describe(RepositoryLocator.Find(parsed.GetValue(repo)), Environment.GetEnvironmentVariable("PATH")))
            {
                context.Output.WriteLine(layer);
            }

            return CliApplication.Done;
        });
        return command;
    }
}
