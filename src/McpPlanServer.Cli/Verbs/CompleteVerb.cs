using System.CommandLine;

namespace McpPlanServer.Cli.Verbs;

/// <summary><c>mcpplan complete</c>: archives a verified plan in Completed.</summary>
internal static class CompleteVerb
{
    public static Command Create(CliContext context)
    {
        var command = new Command("complete", "Archive a verified plan in Completed, with its commits, reviews and a verification report.");
        var id = VerbSymbols.Required(command, "ID", "a plan id");
        var repo = VerbSymbols.Repo(command);
        command.SetAction(parsed => OwnerVerb.Run(context, command.Name, parsed.GetValue(repo), owner => owner.Complete(parsed.GetValue(id)!)));
        return command;
    }
}
