using System.CommandLine;

namespace McpPlanServer.Cli.Verbs;

/// <summary><c>mcpplan show</c>: one plan with its evidence, or <c>--text</c> its raw markdown.</summary>
internal static class ShowVerb
{
    public static Command Create(CliContext context)
    {
        var command = new Command("show", "One plan: title, summary, steps, lint and your checklist, its SHA-256 and the approve command, approval, commits, blockers, verification, reviews, timeline.");
        var id = VerbSymbols.Required(command, "ID", "a plan id");
        var text = VerbSymbols.Flag(command, "--text", "Instead: print the plan's text exactly as it is on disk (the text approve binds to).");
        var repo = VerbSymbols.Repo(command);
        command.SetAction(parsed => OwnerVerb.Run(context, command.Name, parsed.GetValue(repo), owner => owner.Show(parsed.GetValue(id)!, parsed.GetValue(text))));
        return command;
    }
}
