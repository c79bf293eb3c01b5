using System.CommandLine;

namespace McpPlanServer.Cli.Verbs;

/// <summary><c>mcpplan abandon</c>: archives a plan with outcome abandoned.</summary>
internal static class AbandonVerb
{
    public static Command Create(CliContext context)
    {
        var command = new Command("abandon", "Archive a plan with outcome abandoned.");
        var id = VerbSymbols.Required(command, "ID", "a plan id");
        var reason = VerbSymbols.Text(command, "--reason", "TEXT", "Why (required).");
        var repo = VerbSymbols.Repo(command);
        command.SetAction(parsed => OwnerVerb.Run(context, command.Name, parsed.GetValue(repo), owner => owner.Abandon(parsed.GetValue(id)!, parsed.GetValue(reason))));
        return command;
    }
}
