using System.CommandLine;
using McpPlanServer.Cli.Commands;
using McpPlanServer.Cli.Composition;

namespace McpPlanServer.Cli.Verbs;

/// <summary><c>mcpplan dashboard [--out FILE]</c>: writes PROJECT_DASHBOARD.md.</summary>
internal static class DashboardVerb
{
    public static Command Create(CliContext context)
    {
        var command = new Command("dashboard", $"Write {DashboardCommand.FileName}: status and next action per plan, and the success metrics.");
        var output = VerbSymbols.Text(command, "--out", "FILE", $"Where to write it (default: {DashboardCommand.FileName} at the repository root).");
        var repo = VerbSymbols.Repo(command);
        command.SetAction(parsed =>
        {
            var services = PlanServices.Open(RepositoryLocator.Find(parsed.GetValue(repo)), context.Clock);
            services.Recover();
            return DashboardCommand.Run(parsed.GetValue(output), services, context.Output, context.Clock);
        });
        return command;
    }
}
