using System.CommandLine;

namespace McpPlanServer.Cli.Verbs;

/// <summary>
/// Every <c>mcpplan</c> command, each defined in its own file with its own typed options (a new command is one file and
/// one line here). System.CommandLine gives each its <c>--help</c> and refuses options a command does not take.
/// </summary>
internal static class CliCommands
{
    /// <summary>Parsing as the hand-written parser did: no <c>@file</c> response files (an argument such as <c>--by @alice</c> stays text).</summary>
    public static ParserConfiguration Parsing { get; } = new() { ResponseFileTokenReplacer = null };

    public static RootCommand Create(CliContext context)
    {
        var root = new RootCommand("mcpplan — plans, roles and evidence for AI coding sessions.");
        Command[] commands =
        [
            ServeVerb.Create(context),
            StatusVerb.Create(context),
            ShowVerb.Create(context),
            ApproveVerb.Create(context),
            RequestChangesVerb.Create(context),
            CompleteVerb.Create(context),
            AbandonVerb.Create(context),
            LogVerb.Create(context),
            RepairVerb.Create(context),
            IntegrateVerb.Create(context),
            ClaimsVerb.Create(context),
            ReleaseVerb.Create(context),
            DoctorVerb.Create(context),
            BoardVerb.Create(context),
            DashboardVerb.Create(context),
            LintVerb.Create(context),
            InitVerb.Create(context),
            StoreVerb.Create(context),
            TokenVerb.Create(context),
            HookVerb.Create(context),
            DemoVerb.Create(context),
        ];
        foreach (var command in commands)
        {
            root.Subcommands.Add(command);
        }

        return root;
    }
}
