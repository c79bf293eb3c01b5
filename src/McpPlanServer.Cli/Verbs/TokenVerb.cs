using System.CommandLine;
using McpPlanServer.Cli.Commands;
using McpPlanServer.Cli.Security;

namespace McpPlanServer.Cli.Verbs;

/// <summary><c>mcpplan token create|list|revoke</c>: the HTTP server's bearer tokens, one role each.</summary>
internal static class TokenVerb
{
    public static Command Create(CliContext context)
    {
        var command = new Command("token", "The bearer tokens of serve --http: create --role ROLE --name NAME (printed once, stored as a hash), list, revoke NAME.");
        var action = new Argument<string>("action") { Description = "create, list or revoke." };
        action.AcceptOnlyFromAmong("create", "list", "revoke");
        command.Arguments.Add(action);
        var revokedName = VerbSymbols.Optional(command, "NAME", "the token to revoke");
        var name = VerbSymbols.Text(command, "--name", "NAME", "create: who or what uses the token, for example alice-laptop.");
        var role = VerbSymbols.Text(command, "--role", "planner|implementer|observer", "create: the role the token's sessions run as.");
        var repo = VerbSymbols.Repo(command);
        command.SetAction(parsed => TokenCommand.Run(
            parsed.GetValue(action)!,
            parsed.GetValue(action) == "revoke" ? parsed.GetValue(revokedName) : parsed.GetValue(name),
            parsed.GetValue(role),
            parsed.GetValue(repo),
            context.Output,
            context.Error,
            OwnerSession.Current()));
        return command;
    }
}
