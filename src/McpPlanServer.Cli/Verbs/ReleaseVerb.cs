using System.CommandLine;

namespace McpPlanServer.Cli.Verbs;

/// <summary><c>mcpplan release</c>: breaks a plan's claim.</summary>
internal static class ReleaseVerb
{
    public static Command Create(CliContext context) =>
        OwnerVerb.ForPlan(context, "release", "Break a plan's claim: its holder's next commit_step is refused and any session can claim it.", (owner, id) => owner.Release(id));
}
