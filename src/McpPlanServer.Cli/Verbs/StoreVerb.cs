using System.CommandLine;
using McpPlanServer.Cli.Commands;

namespace McpPlanServer.Cli.Verbs;

/// <summary><c>mcpplan store import|export</c>: moves a repository's plans between the files and PostgreSQL.</summary>
internal static class StoreVerb
{
    public static Command Create(CliContext context)
    {
        var command = new Command("store", "Move the plans between the files and the database (docs/postgres.md), then compare both sides.");
        var direction = new Argument<string>("direction") { Description = "import (files to database) or export (database to files)." };
        direction.AcceptOnlyFromAmong("import", "export");
        command.Arguments.Add(direction);
        var repo = VerbSymbols.Repo(command);
        command.SetAction(parsed => StoreCommand.Run(parsed.GetValue(direction)!, parsed.GetValue(repo), context.Output));
        return command;
    }
}
