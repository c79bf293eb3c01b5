using System.CommandLine;

namespace McpPlanServer.Cli.Verbs;

/// <summary><c>mcpplan approve</c>: the person approves the text they read (Review to Active).</summary>
internal static class ApproveVerb
{
    public static Command Create(CliContext context)
    {
        var command = new Command("approve", "Approve the text you read: its SHA-256 must start with --sha (show prints it). Review -> Active.");
        var id = VerbSymbols.Required(command, "ID", "a plan id");
        var sha = VerbSymbols.Text(command, "--sha", "PREFIX", "The first 8 or more hex digits of the SHA-256 of the text you read, as show prints it.");
        var by = VerbSymbols.Text(command, "--by", "NAME", "Who approves (default: user.name and user.email from git's repository or global config, else your OS user name).");
        var repo = VerbSymbols.Repo(command);
        command.SetAction(parsed => OwnerVerb.Run(context, command.Name, parsed.GetValue(repo), owner => owner.Approve(parsed.GetValue(id)!, parsed.GetValue(sha), parsed.GetValue(by))));
        return command;
    }
}
