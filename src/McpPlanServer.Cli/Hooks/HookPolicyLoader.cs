using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Paths;

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

    /// <summary>Reads the config of the repository at <paramref name="repoRoot"/> (no search upwards).</summary>
    public static HookPolicy LoadForRepository(string repoRoot, string? homeDirectory)
    {
        var configPath = Path.Join(repoRoot, ConfigRelativePath);
        if (!File.Exists(configPath))
        {
            return new HookPolicy(repoRoot, PlanServerConfig.DefaultPlansRoot, AllowGitCommitInBash: false, homeDirectory);
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(
                File.ReadAllText(configPath),
                new JsonNodeOptions { PropertyNameCaseInsensitive = true },
                new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException exception)
        {
            throw new HookInputException($"{ConfigRelativePath} is not valid JSON ({exception.Message}); fix or delete it (mcpplan init writes a fresh one).");
        }

        if (root is not JsonObject config)
        {
            throw new HookInputException($"{ConfigRelativePath} must hold a JSON object such as {{\"plansRoot\": \".claude/plans\"}}.");
        }

        var plansRoot = PlanServerConfig.DefaultPlansRoot;
        if (config["plansRoot"] is { } plansRootNode)
        {
            var raw = plansRootNode is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
            if (!RepoRelativePath.TryNormalize(raw, out var normalized, out var error))
            {
                throw new HookInputException($"{ConfigRelativePath}: plansRoot must be a folder inside the repository, such as \".claude/plans\". {error}");
            }

            plansRoot = normalized;
        }

        var allowCommit = false;
        if (config["allowGitCommitInBash"] is { } allowNode)
        {
            allowCommit = allowNode.GetValueKind() switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new HookInputException($"{ConfigRelativePath}: allowGitCommitInBash must be true or false."),
            };
        }

        return new HookPolicy(repoRoot, plansRoot, allowCommit, homeDirectory);
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
