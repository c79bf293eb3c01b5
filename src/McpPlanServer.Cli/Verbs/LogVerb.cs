using System.CommandLine;

namespace McpPlanServer.Cli.Verbs;

/// <summary><c>mcpplan log</c>: the journal, and tamper evidence first.</summary>
internal static class LogVerb
{
    public static Command Create(CliContext context)
    {
        var command = new Command("log", "The journal: every transition and every refused call, with role and reason; tampered lines first.");
        var id = VerbSymbols.Optional(command, "ID", "only this plan's entries");
        var repo = VerbSymbols.Repo(command);
        command.SetAction(parsed => OwnerVerb.Run(context, command.Name, parsed.GetValue(repo), owner => owner.Log(parsed.GetValue(id))));
        return command;
    }
}
