using System.CommandLine;
using McpPlanServer.Cli.Commands;
using McpPlanServer.Cli.Composition;
using McpPlanServer.Storage;

namespace McpPlanServer.Cli.Verbs;

/// <summary><c>mcpplan lint FILE</c>: the plan linter on any markdown file.</summary>
internal static class LintVerb
{
    public static Command Create(CliContext context)
    {
        var command = new Command("lint", "Check a plan file with the repository's lint settings (exit 1 on errors).");
        var file = VerbSymbols.Required(command, "FILE", "a markdown file");
        var repo = VerbSymbols.Repo(command);
        command.SetAction(parsed =>
        {
            var configPath = Path.Combine(RepositoryLocator.FindOrWorkingDirectory(parsed.GetValue(repo)), PlanServices.ConfigRelativePath);
            return LintCommand.Run(parsed.GetValue(file)!, ConfigFile.Load(configPath), context.Output);
        });
        return command;
    }
}
