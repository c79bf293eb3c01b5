using System.CommandLine;

namespace McpPlanServer.Cli.Verbs;

/// <summary><c>mcpplan claims</c>: implementer sessions' claims on plans.</summary>
internal static class ClaimsVerb
{
    public static Command Create(CliContext context)
    {
        var command = new Command("claims", "Implementer sessions' claims: plan, fencing number, holder (process, host, worktree), expiry.");
        var repo = VerbSymbols.Repo(command);
        command.SetAction(parsed => OwnerVerb.Run(context, command.Name, parsed.GetValue(repo), owner => owner.ClaimList()));
        return command;
    }
}
