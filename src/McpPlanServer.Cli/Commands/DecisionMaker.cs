using McpPlanServer.Core.Workflow;
using McpPlanServer.Git;

namespace McpPlanServer.Cli.Commands;

/// <summary>
/// The name a person's decision records: <c>--by</c>, else git's <c>user.name &lt;user.email&gt;</c> (the repository's
/// config, then the global one: the identity their own commits carry), else the OS user name with a note saying so.
/// A label for the record, not an authentication: who may decide is settled by the channel (the person's terminal).
/// </summary>
public static class DecisionMaker
{
    /// <summary>The recorded name and, when it fell back to the OS user, the note that tells the person how to name
    /// themselves properly.</summary>
    public static (string Name, string? Note) Resolve(string repositoryRoot, string? by, string? osUserName = null)
    {
        if (by is not null)
        {
            return (by, null);
        }

        if (GitIdentity.Read(repositoryRoot) is { } identity)
        {
            return (identity, null);
        }

        var user = (osUserName ?? Environment.UserName)?.Trim();
        return user is { Length: > 0 }
            ? (user, $"Recorded your OS user name '{user}': git has no user.name or user.email here. To record who you are, "
                + "set git config --global user.name \"Your Name\" and git config --global user.email you@example.com, or pass --by NAME.")
            : throw new PlanRefusedException(
                RefusalCodes.ApproverUnknown,
                "Who decides? Nothing was changed: git has no user.name or user.email in this repository's config or your global one, "
                + "and the OS reports no user name. Set yours (git config --global user.name \"Your Name\" and git config --global user.email you@example.com) or pass --by NAME.");
    }
}
