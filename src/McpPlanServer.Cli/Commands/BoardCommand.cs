using System.Globalization;
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
    public static async Task<int> RunAsync(CommandLine line, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        line.RequireAtMostPositional(0);

        // The board's token is the person's channel: an agent session that started the board would read it on its own output.
        var session = OwnerSession.Current();
        OwnerSession.RequirePerson(session, "board");
        var port = 0;
        if (line.Value("port") is { } portText && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535))
        {
            throw new UsageException($"--port {portText}: use a port number from 1 to 65535 (or leave it out for a free one).");
        }

        var roots = line.Values("repo") is { Count: > 0 } given
            ? given.Select(RepositoryLocator.Find).Distinct(StringComparer.Ordinal).ToList()
            : [RepositoryLocator.Find(null)];
        var keys = BoardRepository.KeysFor(roots);
        var repositories = new List<BoardRepository>();
        for (var index = 0; index < roots.Count; index++)
        {
            var services = PlanServices.Open(roots[index]);
            services.Recover();
            repositories.Add(new BoardRepository(keys[index], Path.GetFileName(roots[index]), services.PlansRootPath, services.Workflow) { ChangeSource = services.ChangeSource });
        }

        // Ctrl+C and SIGTERM stop the web host (its console lifetime); the wait ends with it.
        await using var server = await BoardServer.StartAsync(
            new BoardOptions(repositories, port, OwnerCommands.DefaultOwnerName(), TimeProvider.System) { Evidence = session.ToEvidence() }, cancellationToken);
        output.WriteLine($"mcpplan board for {string.Join(", ", repositories.Select(repository => repository.Name))}");
        output.WriteLine($"  {server.SignInUrl}");
        output.WriteLine("Open this URL in your browser. The token lives only in this process; Ctrl+C stops the board.");
        output.Flush();
        await server.WaitForShutdownAsync(cancellationToken);
        return CliApplication.Done;
    }
}
