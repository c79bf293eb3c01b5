using System.CommandLine;

namespace McpPlanServer.Cli.Verbs;

/// <summary><c>mcpplan release</c>: breaks a plan's claim.</summary>
internal static class ReleaseVerb
{
    public static Command Create(CliContext context)
    {
        var command = new Command("release", "Break a plan's claim: its holder's next commit_step is refused and any session can claim it.");
        var id = VerbSymbols.Required(command, "ID", "a plan id");
        var repo = VerbSymbols.Repo(command);
        command.SetAction(parsed => OwnerVerb.Run(context, command.Name, parsed.GetValue(repo), owner => owner.Release(parsed.GetValue(id)!)));
        return command;
    }
}
