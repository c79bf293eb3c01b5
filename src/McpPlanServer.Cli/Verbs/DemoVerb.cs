using System.CommandLine;
using McpPlanServer.Cli.Commands;

namespace McpPlanServer.Cli.Verbs;

/// <summary><c>mcpplan demo [--keep]</c>: the whole workflow on a scratch repository.</summary>
internal static class DemoVerb
{
    public static Command Create(CliContext context)
    {
        var command = new Command("demo", "Run the whole workflow on a scratch repository with real server processes, printing each step.");
        var keep = VerbSymbols.Flag(command, "--keep", "Keep the scratch repository afterwards.");
        command.SetAction((parsed, _) => new DemoCommand(context.Output).RunAsync(parsed.GetValue(keep)));
        return command;
    }
}
