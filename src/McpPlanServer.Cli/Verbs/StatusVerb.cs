using System.CommandLine;

namespace McpPlanServer.Cli.Verbs;

/// <summary><c>mcpplan status</c>: plans with state, sub-status, steps, score, iterations and age.</summary>
internal static class StatusVerb
{
    public static Command Create(CliContext context)
    {
        var command = new Command("status", "Plans with state, sub-status, steps done, last score, iterations and age.");
        var state = VerbSymbols.Text(command, "--state", "review|active|completed", "Only the plans in this state folder.");
        var repo = VerbSymbols.Repo(command);
        command.SetAction(parsed => OwnerVerb.Run(context, command.Name, parsed.GetValue(repo), owner => owner.Status(parsed.GetValue(state))));
        return command;
    }
}
