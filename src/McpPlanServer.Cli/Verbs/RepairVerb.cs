using System.CommandLine;

namespace McpPlanServer.Cli.Verbs;

/// <summary><c>mcpplan repair</c>: accepts a plan's files after tampering was reported.</summary>
internal static class RepairVerb
{
    public static Command Create(CliContext context)
    {
        var command = new Command("repair", "Accept a plan's files after tampering was reported (a record changed by hand loses its approval).");
        var id = VerbSymbols.Required(command, "ID", "a plan id");
        var repo = VerbSymbols.Repo(command);
        command.SetAction(parsed => OwnerVerb.Run(context, command.Name, parsed.GetValue(repo), owner => owner.Repair(parsed.GetValue(id)!)));
        return command;
    }
}
