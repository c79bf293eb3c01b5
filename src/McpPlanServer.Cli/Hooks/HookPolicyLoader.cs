using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Paths;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;

namespace McpPlanServer.Cli.Hooks;

/// <summary>
/// Builds the <see cref="HookPolicy"/> for the CLI: finds the repository from the session's folder and reads just
/// <c>plansRoot</c> and <c>allowGitCommitInBash</c> from <c>.claude/mcpplan.json</c>. A config it cannot read is
/// an error, never a silent default, so a typo cannot switch protections off.
/// </summary>
internal static class HookPolicyLoader
{
    public const string ConfigRelativePath = ".claude/mcpplan.json";

    public static HookPolicy Load(string startDirectory, string? homeDirectory) =>
        LoadForRepository(FindRepositoryRoot(startDirectory) ?? startDirectory, homeDirectory);

    /// <summary>Reads the config of the repository at <paramref name="repoRoot"/> (no search upwards) with the same
    /// strict loader the server uses, so the hook and the server can never disagree about a setting.</summary>
    public static HookPolicy LoadForRepository(string repoRoot, string? homeDirectory)
    {
        try
        {
            var config = ConfigFile.Load(Path.Join(repoRoot, ConfigRelativePath));
            RepoRelativePath.TryNormalize(config.PlansRoot, out var plansRoot, out _);
            return new HookPolicy(repoRoot, plansRoot ?? PlanServerConfig.DefaultPlansRoot, config.AllowGitCommitInBash, homeDirectory);
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
