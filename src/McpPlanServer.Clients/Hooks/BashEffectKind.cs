namespace McpPlanServer.Clients.Hooks;

/// <summary>What a command in a Bash call would change.</summary>
internal enum BashEffectKind
{
    /// <summary>Changes git state: pushes, resets, switches branches, rewrites the index or the work tree (not a commit).</summary>
    GitMutation,

    /// <summary>Creates a commit through <c>git commit</c>.</summary>
    GitCommit,

    /// <summary>A git command the hook cannot name: an alias (<c>git ci</c>, <c>-c alias.x=…</c>), a subcommand from stdin or a variable.</summary>
    GitUnidentified,

    /// <summary>Creates, changes, moves or removes a file or folder.</summary>
    FileWrite,

    /// <summary>Installs or removes packages.</summary>
    PackageInstall,

    /// <summary>Runs one of the person's decisions (<c>mcpplan approve</c>, <c>complete</c>, …), however it is spelled.</summary>
    OwnerDecision,

    /// <summary>Removes or overwrites a variable that marks the agent session (<c>env -u</c>, <c>unset</c>, <c>env -i</c>, <c>MCPPLAN_ROLE=…</c>).</summary>
    MarkerRemoval,
}
