namespace McpPlanServer.Cli.Hooks;

/// <summary>What a command in a Bash call would change.</summary>
internal enum BashEffectKind
{
    /// <summary>Changes git state: commits, pushes, resets, switches branches, rewrites the index or the work tree.</summary>
    GitMutation,

    /// <summary>Creates, changes, moves or removes a file or folder.</summary>
    FileWrite,

    /// <summary>Installs or removes packages.</summary>
    PackageInstall,
}
