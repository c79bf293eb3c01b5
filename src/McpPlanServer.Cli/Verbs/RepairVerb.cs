using System.CommandLine;

namespace McpPlanServer.Cli.Verbs;

/// <summary><c>mcpplan repair</c>: accepts a plan's files after tampering was reported.</summary>
internal static class RepairVerb
{
    public static Command Create(CliContext context) =>
        OwnerVerb.ForPlan(context, "repair", "Accept a plan's files after tampering was reported (a record changed by hand loses its approval).", (owner, id) => owner.Repair(id));
}
