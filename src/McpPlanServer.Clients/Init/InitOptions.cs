namespace McpPlanServer.Clients.Init;

/// <summary>Options of <c>mcpplan init</c>.</summary>
/// <param name="RepoRoot">The repository to set up (<c>--repo</c>, else the current folder).</param>
/// <param name="Share">Keep plans, records and the journal in git for a team (<c>--share</c>); only the lock and temp files are ignored.</param>
/// <param name="DryRun">Print what would change and write nothing (<c>--dry-run</c>).</param>
/// <param name="ServerCommand">How Claude Code starts this executable; null detects it from the repository and the running process.</param>
/// <param name="AllowMachinePath">Write a path of this machine when mcpplan is neither a local tool nor on PATH (<c>--allow-machine-path</c>).</param>
/// <param name="Clients">The MCP clients to configure (<c>--client</c>); null is Claude Code only.</param>
/// <param name="Commit">Commit the set-up files afterwards (<c>--commit</c>): exactly those files, nothing else staged.</param>
public sealed record InitOptions(string RepoRoot, bool Share = false, bool DryRun = false, ServerLaunchCommand? ServerCommand = null, bool AllowMachinePath = false, bool Commit = false, IReadOnlyList<string>? Clients = null);
