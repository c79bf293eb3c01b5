using System.CommandLine;

namespace McpPlanServer.Cli.Verbs;

/// <summary><c>mcpplan complete</c>: archives a verified plan in Completed.</summary>
internal static class CompleteVerb
{
    public static Command Create(CliContext context) =>
        OwnerVerb.ForPlan(context, "complete", "Archive a verified plan in Completed, with its commits, reviews and a verification report.", (owner, id) => owner.Complete(id));
}
