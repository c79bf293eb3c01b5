using McpPlanServer.Board;
using McpPlanServer.Cli.Composition;
using McpPlanServer.Cli.Security;

namespace McpPlanServer.Cli.Commands;

/// <summary>
/// <c>mcpplan board</c>: the person's local web board for one or more repositories. Kept apart from <c>serve</c> so
/// the MCP server's start-up never loads ASP.NET Core.
/// </summary>
public static class BoardCommand
{
    /// <param name="port">The port to listen on; 0 for a free one.</param>
    /// <param name="repos">The repositories to show; none for the enclosing one.</param>
    public static async Task<int> RunAsync(int port, IReadOnlyList<string> repos, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        // The board's token is the person's channel: an agent session that started the board would read it on its own output.
        var session = OwnerSession.Current();
        OwnerSession.RequirePerson(session, "board");
        var roots = repos.Count > 0
            ? repos.Select(RepositoryLocator.Find).Distinct(StringComparer.Ordinal).ToList()
            : PortfolioRoots(error);
        var keys = BoardRepository.KeysFor(roots);
        var repositories = roots.Select((root, index) => OpenRepository(root, keys[index])).ToList();

        // The board records decisions under the person's git identity as approve does (the first repository's config,
        // then the global one); the note says when it fell back to the OS user.
        var (owner, ownerNote) = DecisionMaker.Resolve(roots[0], null);

        // Ctrl+C and SIGTERM stop the web host (its console lifetime); the wait ends with it.
        await using var server = await BoardServer.StartAsync(
            new BoardOptions(repositories, port, owner, TimeProvider.System) { Evidence = session.ToEvidence() }, cancellationToken);
        output.WriteLine($"mcpplan board for {string.Join(", ", repositories.Select(repository => repository.Name))}");
        output.WriteLine($"  {server.SignInUrl}");
        if (ownerNote is not null)
        {
            output.WriteLine(ownerNote);
        }

        output.WriteLine("Open this URL in your browser. The token lives only in this process; Ctrl+C stops the board.");
        output.Flush();
        await server.WaitForShutdownAsync(cancellationToken);
        return CliApplication.Done;
    }

    /// <summary>One repository on the board, composed as the CLI's commands are (recovered first), with its branches
    /// reachable for <c>integrate</c>.</summary>
    public static BoardRepository OpenRepository(string root, string key)
    {
        var services = PlanServices.Open(root);
        services.Recover();
        return new BoardRepository(key, Path.GetFileName(root), services.PlansRootPath, services.Workflow)
        {
            Integrator = new Git.BranchIntegrator(Storage.SharedStoreRoot.For(root)),
            ChangeSource = (interval, watch) => services.ChangeSource(interval, watch, activity: true),
            AfterDecision = () => AcceptanceSandbox.Sync(Storage.SharedStoreRoot.For(services.RepositoryRoot), services.Store),
        };
    }

    /// <summary>Without <c>--repo</c>: the person's portfolio file (listed folders that exist) and the enclosing repository.</summary>
    private static List<string> PortfolioRoots(TextWriter error)
    {
        var enclosing = RepositoryLocator.FindOrWorkingDirectory(null);
        var file = BoardPortfolio.DefaultPath(Environment.GetEnvironmentVariable);
        List<string> listed;
        try
        {
            listed = [.. BoardPortfolio.Load(file, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile))];
        }
        catch (InvalidDataException invalid)
        {
            throw new UsageException(invalid.Message);
        }

        var roots = new List<string>();
        foreach (var folder in listed)
        {
            if (Directory.Exists(folder))
            {
                roots.Add(Path.GetFullPath(folder));
            }
            else
            {
                error.WriteLine($"mcpplan board: skipped {folder} (listed in {file}): no such folder.");
            }
        }

        // The repository the person stands in joins the list; outside any repository the list alone is shown.
        if (RepositoryLocator.IsRepositoryRoot(enclosing))
        {
            roots.Insert(0, enclosing);
        }
        else if (roots.Count == 0)
        {
            RepositoryLocator.Find(null); // outside a repository with no portfolio: the not-a-repository message and its fix
        }

        return [.. roots.Distinct(StringComparer.Ordinal)];
    }
}
