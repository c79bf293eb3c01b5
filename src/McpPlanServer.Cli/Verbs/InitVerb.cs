using System.CommandLine;
using McpPlanServer.Cli.Commands;
using McpPlanServer.Cli.Composition;
using McpPlanServer.Clients.Init;

namespace McpPlanServer.Cli.Verbs;

/// <summary><c>mcpplan init</c>: sets a repository up for the chosen MCP clients.</summary>
internal static class InitVerb
{
    public static Command Create(CliContext context)
    {
        var command = new Command("init", "Set a repository up: plans folders, config, each client's MCP configuration, the hook, the sandbox rules. Idempotent; merges.");
        var share = VerbSymbols.Flag(command, "--share", "Keep everything in git (Review/ and Active/ too), for teams.");
        var dryRun = VerbSymbols.Flag(command, "--dry-run", "Print what would change and change nothing.");
        var commit = VerbSymbols.Flag(command, "--commit", "Commit exactly the set-up files.");
        var allowMachinePath = VerbSymbols.Flag(command, "--allow-machine-path", "Name this machine's mcpplan path in the shared files (a repository used only here).");
        var clients = new Option<IReadOnlyList<string>>("--client")
        {
            Description = $"Which MCP clients to configure: {string.Join(",", InitClients.All)} (comma-separated), or all (default: {string.Join(",", InitClients.Default)}).",
            HelpName = "NAMES",
            Arity = ArgumentArity.ExactlyOne,
            DefaultValueFactory = _ => InitClients.Default,
            CustomParser = result =>
            {
                try
                {
                    return InitClients.Parse(result.Tokens[0].Value);
                }
                catch (ArgumentException unknown)
                {
                    result.AddError(unknown.Message);
                    return InitClients.Default;
                }
            },
        };
        command.Options.Add(clients);
        var store = VerbSymbols.Text(command, "--store", "URL", "Keep this repository's plans in PostgreSQL (postgres://USER@HOST/DB; the file plans are imported; the password is never written). See docs/postgres.md.");
        var storeRepository = VerbSymbols.Text(command, "--store-repository", "ID", "The repository's id in a database several repositories share (default: a new one).");
        var repo = VerbSymbols.Repo(command);
        command.SetAction(parsed =>
        {
            var root = parsed.GetValue(repo) is { } given ? RepositoryLocator.Find(given) : InitRoot();
            var options = new InitOptions(root, parsed.GetValue(share), parsed.GetValue(dryRun), AllowMachinePath: parsed.GetValue(allowMachinePath),
                Commit: parsed.GetValue(commit), Clients: parsed.GetValue(clients));
            var initialized = InitCommand.Run(options, context.Output, context.Error);
            if (initialized == CliApplication.Done && parsed.GetValue(store) is { } connection && !options.DryRun)
            {
                StoreCommand.Switch(root, connection, parsed.GetValue(storeRepository), context.Output);
            }

            return initialized;
        });
        return command;
    }

    /// <summary>init sets up the folder it runs in, which must be a repository's root: a subfolder or a plain folder is
    /// refused at once with the fix, before anything is written.</summary>
    private static string InitRoot()
    {
        var here = Directory.GetCurrentDirectory();
        if (RepositoryLocator.IsRepositoryRoot(here))
        {
            return here;
        }

        var enclosing = RepositoryLocator.Find(null);
        throw new UsageException($"{here} is inside the git repository {enclosing}, not its root. Run mcpplan init there (or pass --repo {enclosing}).");
    }
}
