using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Paths;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;

namespace McpPlanServer.Clients.Hooks;

/// <summary>
/// Builds the <see cref="HookPolicy"/> for the CLI: finds the repository from the session's folder and reads just
/// <c>plansRoot</c> and <c>allowGitCommitInBash</c> from <c>.claude/mcpplan.json</c>. A config it cannot read is
/// an error, never a silent default, so a typo cannot switch protections off.
/// </summary>
internal static class HookPolicyLoader
{
    public const string ConfigRelativePath = ".claude/mcpplan.json";

    /// <summary>
    /// The policy of the repository that holds <paramref name="projectDirectory"/> (the client's project folder), or,
    /// when the client did not name one, the repository that holds the call's <paramref name="workingDirectory"/>.
    /// When neither is inside a repository, the policy says so (<see cref="HookPolicy.UnplacedReason"/>): the hook
    /// cannot tell which files are protected, so it denies every change rather than guard the wrong folder.
    /// </summary>
    public static HookPolicy Load(string? projectDirectory, string workingDirectory, string? homeDirectory, string? clientConfigDirectory = null)
    {
        var hasProject = projectDirectory is { Length: > 0 } && Path.IsPathRooted(projectDirectory);
        var start = hasProject ? projectDirectory! : workingDirectory;
        if (FindRepositoryRoot(start) is { } root)
        {
            return LoadForRepository(root, homeDirectory) with { ClientConfigDirectory = clientConfigDirectory };
        }

        var reason = hasProject
            ? $"mcpplan hook: the project folder {start} (CLAUDE_PROJECT_DIR) is not inside a git repository, so the hook cannot tell which files it guards. "
                + "Start the session from the repository root where `mcpplan init` ran."
            : $"mcpplan hook: CLAUDE_PROJECT_DIR is not set and the working folder {start} is not inside a git repository, so the hook cannot tell which files it guards. "
                + "Start the session from the repository root (Claude Code then sets CLAUDE_PROJECT_DIR), or set CLAUDE_PROJECT_DIR to the repository root.";
        return new HookPolicy(start, PlanServerConfig.DefaultPlansRoot, AllowGitCommitInBash: false, homeDirectory, clientConfigDirectory, reason);
    }

    /// <summary>Reads the config of the repository at <paramref name="repoRoot"/> (no search upwards) with the same
    /// strict loader the server uses, so the hook and the server can never disagree about a setting.</summary>
    public static HookPolicy LoadForRepository(string repoRoot, string? homeDirectory)
    {
        try
        {
            // In a linked worktree the server reads the main worktree's config (the store's): so does the hook.
            var storeRoot = SharedStoreRoot.For(repoRoot);
            var config = ConfigFile.Load(Path.Join(storeRoot, ConfigRelativePath));
            RepoRelativePath.TryNormalize(config.PlansRoot, out var plansRoot, out _);
            return new HookPolicy(repoRoot, plansRoot ?? PlanServerConfig.DefaultPlansRoot, config.AllowGitCommitInBash, homeDirectory)
            {
                PinnedFiles = PinnedAcceptanceFiles.Read(repoRoot, config), // issue 20
                StoreRoot = storeRoot == repoRoot ? null : storeRoot, // issue 11
            };
        }
        catch (PlanRefusedException refusal)
        {
            throw new HookInputException(refusal.Message);
        }
    }

    /// <summary>The nearest folder at or above <paramref name="start"/> holding <c>.git</c> (a folder, or a file in a worktree).</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            var dotGit = Path.Join(folder.FullName, ".git");
            if (Directory.Exists(dotGit) || File.Exists(dotGit))
            {
                return folder.FullName;
            }
        }

        return null;
    }
}
