using System.CommandLine;
using McpPlanServer.Cli.Commands;
using McpPlanServer.Cli.Composition;
using McpPlanServer.Cli.Security;

namespace McpPlanServer.Cli.Verbs;

/// <summary>
/// The common start of the owner's commands: who runs it (a decision is refused inside an agent session), the repository's
/// plan services with recovery done, then the command itself.
/// </summary>
internal static class OwnerVerb
{
    /// <summary>A command that takes one plan id and <c>--repo</c>, such as <c>show ID</c>.</summary>
    public static Command ForPlan(CliContext context, string name, string description, Func<OwnerCommands, string, int> run)
    {
        var command = new Command(name, description);
        var id = VerbSymbols.Required(command, "ID", "a plan id");
        var repo = VerbSymbols.Repo(command);
        command.SetAction(parsed => Run(context, name, parsed.GetValue(repo), owner => run(owner, parsed.GetValue(id)!)));
        return command;
    }

    public static int Run(CliContext context, string name, string? repo, Func<OwnerCommands, int> command) =>
        command(Open(context, name, repo));

    public static Task<int> RunAsync(CliContext context, string name, string? repo, Func<OwnerCommands, Task<int>> command) =>
        command(Open(context, name, repo));

    private static OwnerCommands Open(CliContext context, string name, string? repo)
    {
        var session = OwnerSession.Current();
        if (OwnerCommands.Decisions.Contains(name))
        {
            OwnerSession.RequirePerson(session, name);
        }

        var services = PlanServices.Open(RepositoryLocator.Find(repo), context.Clock);
        services.Recover();
        return new OwnerCommands(services, context.Output, context.Clock, session);
    }
}
