using System.Globalization;
using McpPlanServer.Cli.Composition;
using McpPlanServer.Cli.Security;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Http.Tokens;

namespace McpPlanServer.Cli.Commands;

/// <summary>
/// <c>mcpplan token create|list|revoke</c>: the bearer tokens of the HTTP server. Issuing and revoking decide who may act
/// in which role, so they are the person's decisions and refused inside an agent session, like approve. A new token is
/// printed once, alone on stdout; only its hash is kept.
/// </summary>
public static class TokenCommand
{
    /// <param name="action">create, list or revoke.</param>
    /// <param name="name">The token's name: --name for create, the argument for revoke.</param>
    public static int Run(string action, string? name, string? roleName, string? repo, TextWriter output, TextWriter error, AgentSessionReport session)
    {
        var services = PlanServices.Open(RepositoryLocator.Find(repo), TimeProvider.System);
        var tokens = new AccessTokenStore(services.RepositoryRoot, TimeProvider.System);
        switch (action)
        {
            case "create":
            {
                OwnerSession.RequirePerson(session, "token create");
                if (name is null)
                {
                    throw new UsageException("token create needs --name NAME (who or what uses it, for example alice-laptop).");
                }

                if (!ActorNames.TryParseAgentRole(roleName, out var role))
                {
                    throw new UsageException($"token create needs --role {string.Join("|", ActorNames.AgentRoleNames)}.");
                }

                var issued = tokens.Create(name, role);
                Journal(services, "token_create", $"{issued.Record.Identity} ({issued.Record.Role})");
                output.WriteLine(issued.Secret);
                error.WriteLine($"mcpplan: token '{name}' for the {issued.Record.Role} created. It is shown only this once and stored only as a hash: " +
                    "put it in the client's secret store; the client sends it as 'Authorization: Bearer <token>'. `mcpplan token revoke " + name + "` withdraws it.");
                return CliApplication.Done;
            }

            case "list":
            {
                var table = new TextTable("NAME", "ROLE", "CREATED", "STATUS", "HASH");
                foreach (var token in tokens.List())
                {
                    table.Add(
                        token.Name,
                        token.Role,
                        token.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                        token.RevokedAt is { } revoked ? "revoked " + revoked.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "active",
                        token.Sha256[..12]);
                }

                output.WriteLine(tokens.List().Count == 0 ? "No tokens. Issue one with: mcpplan token create --role planner --name NAME" : table.ToString().TrimEnd());
                return CliApplication.Done;
            }

            case "revoke":
            {
                OwnerSession.RequirePerson(session, "token revoke");
                var revoked = tokens.Revoke(name ?? throw new UsageException("token revoke needs the token's NAME: mcpplan token revoke NAME."));
                Journal(services, "token_revoke", $"{revoked.Identity} ({revoked.Role})");
                output.WriteLine($"Token '{revoked.Name}' revoked; the HTTP server refuses it from the next request on.");
                return CliApplication.Done;
            }

            default:
                throw new UsageException($"Unknown token action '{action}': use create, list or revoke.");
        }
    }

    private static void Journal(PlanServices services, string action, string detail) => services.Workflow.JournalOwnerAction(action, detail);
}
