using System.CommandLine;

namespace McpPlanServer.Cli.Verbs;

/// <summary><c>mcpplan show</c>: one plan with its evidence.</summary>
internal static class ShowVerb
{
    public static Command Create(CliContext context) =>
        OwnerVerb.ForPlan(context, "show", "One plan: its SHA-256 and the approve command, approval, steps and commits, blockers, verification, reviews, timeline.", (owner, id) => owner.Show(id));
}
