using System.CommandLine;

namespace McpPlanServer.Cli.Verbs;

/// <summary><c>mcpplan request-changes</c>: sends a plan, or a reviewed implementation, back.</summary>
internal static class RequestChangesVerb
{
    public static Command Create(CliContext context)
    {
        var command = new Command("request-changes", "Send a plan in Review, or a reviewed implementation, back with a note.");
        var id = VerbSymbols.Required(command, "ID", "a plan id");
        var note = VerbSymbols.Text(command, "--note", "TEXT", "What to change (required).");
        var repo = VerbSymbols.Repo(command);
        command.SetAction(parsed => OwnerVerb.Run(context, command.Name, parsed.GetValue(repo), owner => owner.RequestChanges(parsed.GetValue(id)!, parsed.GetValue(note))));
        return command;
    }
}
