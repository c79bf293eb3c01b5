using System.Text.Json.Nodes;
using McpPlanServer.Clients.Hooks;

namespace McpPlanServer.Clients.Init;

/// <summary>
/// Works out everything init would do, reading but never writing, so a dry run and a real run report the same list
/// and a malformed file stops the run before anything is written.
/// </summary>
internal sealed class InitPlanner(string repoRoot, bool share, ServerLaunchCommand launch, IReadOnlyList<string>? clients = null)
{
    public const string ConfigRelativePath = HookPolicyLoader.ConfigRelativePath;

    private static readonly string[] PlanFolders = ["Review", "Active", "Completed"];

    public IReadOnlyList<InitChange> Plan()
    {
        if (!Directory.Exists(repoRoot))
        {
            throw new InitRefusedException($"{repoRoot} does not exist; pass --repo with the repository's folder.");
        }

        string plansRoot;
        try
        {
            plansRoot = HookPolicyLoader.LoadForRepository(repoRoot, homeDirectory: null).PlansRoot;
        }
        catch (HookInputException exception)
        {
            throw new InitRefusedException(exception.Message);
        }

        var changes = new List<InitChange>();
        foreach (var folder in PlanFolders)
        {
            changes.Add(PlanFolder($"{plansRoot}/{folder}/"));
        }

        changes.Add(File.Exists(FullPath(ConfigRelativePath))
            ? new InitChange(ConfigRelativePath, InitChangeKind.Unchanged)
            : new InitChange(ConfigRelativePath, InitChangeKind.Create, NewContent: JsonFile.Serialize(DefaultConfig())));
        var chosen = clients ?? InitClients.Default;
        var claude = chosen.Contains(InitClients.Claude);
        if (claude)
        {
            changes.Add(PlanJson(McpJsonMerger.RelativePath, root => McpJsonMerger.Merge(root, launch)));
            changes.Add(PlanJson(ClaudeSettingsMerger.RelativePath, root => ClaudeSettingsMerger.Merge(root, launch, plansRoot)));
            foreach (var role in SandboxSettings.Roles)
            {
                changes.Add(PlanJson(SandboxSettings.RoleSettingsPath(role), root =>
                {
                    var added = new List<string>();
                    SandboxSettings.MergeRole(root, role, plansRoot, added);
                    return added;
                }));
            }
        }

        if (chosen.Contains(InitClients.Codex))
        {
            changes.Add(PlanText(CodexConfigMerger.RelativePath, existing => CodexConfigMerger.Merge(existing, launch)));
        }

        var hookFiles = ClientHookFiles.For(chosen);
        foreach (var client in JsonClientConfig.All.Where(client => chosen.Contains(client.Client)))
        {
            // Gemini CLI keeps its hooks in the same settings file as its servers: one merge, one change line.
            var hooks = hookFiles.FirstOrDefault(file => file.RelativePath == client.RelativePath);
            changes.Add(PlanJson(client.RelativePath, root => [.. client.Merge(root, launch), .. hooks?.Merge(root, launch) ?? []]));
        }

        foreach (var hooks in hookFiles.Where(file => !changes.Any(change => change.RelativePath == file.RelativePath)))
        {
            changes.Add(PlanJson(hooks.RelativePath, root => hooks.Merge(root, launch)));
        }

        changes.Add(PlanText(GitignoreMerger.RelativePath, existing => GitignoreMerger.Merge(existing, plansRoot, share)));
        if (claude)
        {
            changes.Add(PlanText(ClaudeMdSection.RelativePath, existing => (
                ClaudeMdSection.Apply(existing, plansRoot),
                existing?.Contains(ClaudeMdSection.StartMarker, StringComparison.Ordinal) == true ? "replaces the mcpplan section" : "adds the mcpplan section")));
        }

        return changes;
    }

    /// <summary>The documented defaults, written only when the repository has no config yet.</summary>
    private static JsonObject DefaultConfig() => new()
    {
        ["plansRoot"] = Core.Configuration.PlanServerConfig.DefaultPlansRoot,
        ["drift"] = "warn",
        ["threshold"] = 90,
        ["maxIterations"] = 3,
    };

    private string FullPath(string relativePath) => Path.Join(repoRoot, relativePath.TrimEnd('/'));

    private InitChange PlanFolder(string relativePath)
    {
        var full = FullPath(relativePath);
        if (File.Exists(full))
        {
            throw new InitRefusedException($"{relativePath.TrimEnd('/')} is a file, but the plans need a folder there; move the file aside and run mcpplan init again.");
        }

        return new InitChange(relativePath, Directory.Exists(full) ? InitChangeKind.Unchanged : InitChangeKind.Create);
    }

    private InitChange PlanJson(string relativePath, Func<JsonObject, List<string>> merge)
    {
        var existing = ReadIfExists(relativePath);
        var root = JsonFile.ParseObject(existing, relativePath);
        var added = merge(root);
        if (existing is null)
        {
            return new InitChange(relativePath, InitChangeKind.Create, NewContent: JsonFile.Serialize(root));
        }

        return added.Count == 0
            ? new InitChange(relativePath, InitChangeKind.Unchanged)
            : new InitChange(relativePath, InitChangeKind.Update, string.Join("; ", added), JsonFile.Serialize(root));
    }

    private InitChange PlanText(string relativePath, Func<string?, (string Text, string? Detail)> merge)
    {
        var existing = ReadIfExists(relativePath);
        var (text, detail) = merge(existing);
        if (existing is null)
        {
            return new InitChange(relativePath, InitChangeKind.Create, NewContent: text);
        }

        return text == existing
            ? new InitChange(relativePath, InitChangeKind.Unchanged)
            : new InitChange(relativePath, InitChangeKind.Update, detail, text);
    }

    private string? ReadIfExists(string relativePath)
    {
        var full = FullPath(relativePath);
        return File.Exists(full) ? File.ReadAllText(full) : null;
    }
}
