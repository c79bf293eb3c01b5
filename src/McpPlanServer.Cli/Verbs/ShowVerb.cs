using System.CommandLine;

namespace McpPlanServer.Cli.Verbs;

/// <summary><c>mcpplan show</c>: one plan with its evidence.</summary>
internal static class ShowVerb
{
    public static Command Create(CliContext context)
    {
        var command = new Command("show", "One plan: its SHA-256 and the approve command, approval, steps and commits, blockers, verification, reviews, timeline.");
        var id = VerbSymbols.Required(command, "ID", "a plan id");
        var repo = VerbSymbols.Repo(command);
        command.SetAction(parsed => OwnerVerb.Run(context, command.Name, parsed.GetValue(repo), owner => owner.Show(parsed.GetValue(id)!)));
        return command;
    }
}
