using System.CommandLine;
using McpPlanServer.Cli.Composition;
using McpPlanServer.Clients.Init;

namespace McpPlanServer.Cli.Verbs;

/// <summary><c>mcpplan doctor [--clients]</c>: bad files in the plans root, or per MCP client what is enforced here.</summary>
internal static class DoctorVerb
{
    public static Command Create(CliContext context)
    {
        var command = new Command("doctor", "Bad files in the plans root (links, corrupt records, plans in two folders) and how to repair each; exit 1 if any.");
        var clients = VerbSymbols.Flag(command, "--clients", "Instead: whether this mcpplan is the version the repository pins, then per MCP client what is enforced here (server roles, hook, sandbox, portable configuration).");
        var repo = VerbSymbols.Repo(command);
        command.SetAction(parsed =>
        {
            if (!parsed.GetValue(clients))
            {
                return OwnerVerb.Run(context, command.Name, parsed.GetValue(repo), owner => owner.Doctor());
            }

            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            foreach (var text in ClientDoctor.Describe(RepositoryLocator.Find(parsed.GetValue(repo)), Environment.GetEnvironmentVariable("PATH"), home))
            {
                context.Output.WriteLine(text);
            }

            return CliApplication.Done;
        });
        return command;
    }
}
