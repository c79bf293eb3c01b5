using System.CommandLine;

namespace McpPlanServer.Cli.Verbs;

/// <summary><c>mcpplan integrate</c>: merges a verified plan into the branch and completes it.</summary>
internal static class IntegrateVerb
{
    public static Command Create(CliContext context)
    {
        var command = new Command("integrate", "Merge a verified plan's verified commit into the branch (verified on the merged tree first) and complete it.");
        var id = VerbSymbols.Required(command, "ID", "a plan id");
        var into = VerbSymbols.Text(command, "--into", "BRANCH", "The target branch (default: the main worktree's).");
        var repo = VerbSymbols.Repo(command);
        command.SetAction((parsed, _) => OwnerVerb.RunAsync(context, command.Name, parsed.GetValue(repo), owner => owner.IntegrateAsync(parsed.GetValue(id)!, parsed.GetValue(into))));
        return command;
    }
}
