using McpPlanServer.Storage;

namespace McpPlanServer.Clients.Hooks;

/// <summary>
/// The places the hook guards, resolved once to where they really are on disk, and the classification of a
/// write target against them. A symlink that points into the plans root counts as the plans root, because
/// targets are resolved the same way before they are compared.
/// </summary>
internal sealed class GuardedPaths
{
    private readonly string _repoRoot;
    private readonly string _plansRoot;
    private readonly string _plansRootDisplay;
    private readonly string _claudeFolder;
    private readonly string? _storeRoot;
    private readonly string? _storePlansRoot;
    private readonly string? _storeClaudeFolder;
    private readonly IReadOnlyList<string> _userClaudeFolders;
    private readonly IReadOnlyList<(string Path, string Name)> _protectedEntries;
    private readonly IReadOnlyList<(string Path, string Name)> _pinnedFiles;

    public GuardedPaths(HookPolicy policy)
    {
        _repoRoot = RealPath.Resolve(policy.RepoRoot, policy.RepoRoot);
        _plansRoot = RealPath.Resolve(policy.PlansRoot, _repoRoot);
        _plansRootDisplay = policy.PlansRoot.TrimEnd('/');
        _claudeFolder = RealPath.Resolve(".claude", _repoRoot);
        if (policy.StoreRoot is { } storeRoot)
        {
            // Issue 11: a session in a linked worktree; the plan store (and the person's settings) are the main worktree's.
            _storeRoot = RealPath.Resolve(storeRoot, storeRoot);
            _storePlansRoot = RealPath.Resolve(policy.PlansRoot, _storeRoot);
            _storeClaudeFolder = RealPath.Resolve(".claude", _storeRoot);
        }

        _userClaudeFolders = new[] { string.IsNullOrEmpty(policy.HomeDirectory) ? null : Path.Join(policy.HomeDirectory, ".claude"), policy.ClientConfigDirectory }
            .Where(folder => !string.IsNullOrEmpty(folder) && Path.IsPathRooted(folder))
            .Select(folder => RealPath.Resolve(folder!, folder!))
            .ToList();
        var entries = new List<(string Path, string Name)>();
        foreach (var (root, claudeFolder, where) in new[] { (_repoRoot, _claudeFolder, ""), (_storeRoot, _storeClaudeFolder, " (the main worktree's)") })
        {
            if (root is null || claudeFolder is null)
            {
                continue;
            }

            entries.Add((RealPath.Resolve(".mcp.json", root), ".mcp.json" + where));
            entries.Add((Path.Join(claudeFolder, "mcpplan.json"), ".claude/mcpplan.json" + where));
            entries.Add((Path.Join(claudeFolder, "mcpplan"), ".claude/mcpplan/ (the sessions' sandbox settings)" + where));
            entries.Add((Path.Join(claudeFolder, "hooks"), ".claude/hooks" + where));
            entries.Add((RealPath.Resolve(".config/dotnet-tools.json", root), ".config/dotnet-tools.json (which mcpplan the hook runs)" + where));

            // The other clients' project MCP configuration: the same files commit_step never commits.
            foreach (var clientFile in Core.Workflow.ProtectedPaths.ClientSettings.Where(path => path is not ".mcp.json" and not ".claude"))
            {
                entries.Add((RealPath.Resolve(clientFile, root), clientFile + where));
            }
        }

        if (!string.IsNullOrEmpty(policy.HomeDirectory))
        {
            entries.Add((RealPath.Resolve(".claude.json", policy.HomeDirectory), "~/.claude.json"));
        }

        // Managed (enterprise) settings: hooks there run in every session and could answer the approval form.
        foreach (var managed in ManagedSettingsFolders.Where(Path.IsPathRooted))
        {
            entries.Add((RealPath.Resolve(managed, managed), managed + " (managed client settings)"));
        }

        _protectedEntries = entries;
        _pinnedFiles = [.. policy.PinnedFiles.Select(path => (RealPath.Resolve(path, _repoRoot), path))];
    }

    /// <summary>Where Claude Code reads managed settings on Linux, macOS and Windows.</summary>
    public static IReadOnlyList<string> ManagedSettingsFolders { get; } =
        ["/etc/claude-code", "/Library/Application Support/ClaudeCode", @"C:\Program Files\ClaudeCode", @"C:\ProgramData\ClaudeCode"];

    public string RepoRoot => _repoRoot;

    /// <summary>
    /// Whether a folder a git command works in (<c>git -C DIR</c>, <c>--work-tree</c>, <c>--git-dir</c>, or after a <c>cd</c>)
    /// is the main worktree that holds the plan store while the session runs in a linked worktree (issue 11).
    /// </summary>
    public bool IsMainWorktreeOfLinkedSession(string folder)
    {
        if (_storeRoot is null)
        {
            return false;
        }

        var real = RealPath.Resolve(Path.GetFullPath(folder, _repoRoot), _repoRoot);
        return PathComparison.IsUnder(real, _storeRoot) && !PathComparison.IsUnder(real, _repoRoot);
    }

    public string PlansRootDisplay => _plansRootDisplay;

    /// <summary>
    /// Classifies a known absolute (unresolved) target. <paramref name="coversDescendants"/>: the operation removes or
    /// moves a whole tree. Both readings of <c>..</c> are checked (lexical, as a tool that normalizes the path first
    /// would write; physical, as the kernel would) and the stricter wins.
    /// </summary>
    public TargetClass Classify(string target, bool coversDescendants)
    {
        var physical = ClassifyResolved(RealPath.Resolve(target, _repoRoot), coversDescendants);
        var lexicalPath = RealPath.Resolve(Path.GetFullPath(target, _repoRoot), _repoRoot);
        if (PathComparison.IsUnder(lexicalPath, physical.Path) && PathComparison.IsUnder(physical.Path, lexicalPath))
        {
            return physical.Class;
        }

        var lexical = ClassifyResolved(lexicalPath, coversDescendants);
        var blamed = lexical.Class.ProtectedName is not null || (lexical.Class.InPlansRoot && physical.Class.ProtectedName is null) ? lexical : physical;
        return blamed.Class with
        {
            ProtectedName = physical.Class.ProtectedName ?? lexical.Class.ProtectedName,
            InPlansRoot = physical.Class.InPlansRoot || lexical.Class.InPlansRoot,
            InRepository = physical.Class.InRepository || lexical.Class.InRepository,
            PinnedFile = physical.Class.PinnedFile ?? lexical.Class.PinnedFile,
        };
    }

    private (string Path, TargetClass Class) ClassifyResolved(string real, bool coversDescendants)
    {
        var display = PathComparison.RelativeTo(real, _repoRoot) is { Length: > 0 } relative ? relative : real;
        return (real, new TargetClass(
            display,
            IsKnown: true,
            ProtectedName: FindProtected(real, coversDescendants),
            InPlansRoot: Touches(real, _plansRoot, coversDescendants) || (_storePlansRoot is not null && Touches(real, _storePlansRoot, coversDescendants)),
            InRepository: Touches(real, _repoRoot, coversDescendants) || (_storeRoot is not null && Touches(real, _storeRoot, coversDescendants)))
        {
            PinnedFile = _pinnedFiles.FirstOrDefault(pinned => Touches(real, pinned.Path, coversDescendants)).Name,
        });
    }

    /// <summary>Classifies the target of a file write (known or not).</summary>
    public TargetClass Classify(BashEffect effect) => effect.TargetPath is null
        ? ClassifyUnknown(effect.TargetText ?? "(unknown)")
        : Classify(effect.TargetPath, effect.CoversDescendants);

    /// <summary>
    /// A target the hook cannot evaluate. It is flagged as possibly protected when its text names a guarded
    /// place, so <c>"$REPO/.claude/plans/x"</c> is still caught while <c>"$OUT"</c> is not.
    /// </summary>
    public TargetClass ClassifyUnknown(string rawText)
    {
        var normalized = rawText.Replace('\\', '/');
        var namesGuardedPlace =
            normalized.Contains(".claude", StringComparison.OrdinalIgnoreCase)
            || normalized.Contains(".mcp.json", StringComparison.OrdinalIgnoreCase)
            || normalized.Contains(_plansRootDisplay, StringComparison.OrdinalIgnoreCase);
        return new TargetClass(rawText, IsKnown: false, namesGuardedPlace ? rawText : null, InPlansRoot: false, InRepository: false)
        {
            // A pinned test named in a path the hook cannot evaluate ("$DIR/value_test.sh") is treated as that test.
            PinnedFile = _pinnedFiles.FirstOrDefault(pinned => normalized.Contains(Path.GetFileName(pinned.Name), StringComparison.Ordinal)).Name,
        };
    }

    private static bool Touches(string target, string guarded, bool coversDescendants) =>
        PathComparison.IsUnder(target, guarded) || (coversDescendants && PathComparison.IsUnder(guarded, target));

    private string? FindProtected(string target, bool coversDescendants)
    {
        foreach (var (path, name) in _protectedEntries)
        {
            if (Touches(target, path, coversDescendants))
            {
                return name;
            }
        }

        if (IsSettingsFile(target, _claudeFolder) || (coversDescendants && PathComparison.IsUnder(_claudeFolder, target)))
        {
            return ".claude/settings*.json";
        }

        if (_storeClaudeFolder is not null && (IsSettingsFile(target, _storeClaudeFolder) || (coversDescendants && PathComparison.IsUnder(_storeClaudeFolder, target))))
        {
            return ".claude/settings*.json (the main worktree's)";
        }

        foreach (var userFolder in _userClaudeFolders)
        {
            if (IsSettingsFile(target, userFolder) || (coversDescendants && PathComparison.IsUnder(userFolder, target)))
            {
                return "~/.claude/settings*.json (the client's user settings)";
            }
        }

        return null;
    }

    private static bool IsSettingsFile(string target, string claudeFolder)
    {
        var parent = Path.GetDirectoryName(target);
        return parent is not null
            && PathComparison.IsUnder(parent, claudeFolder)
            && PathComparison.IsUnder(claudeFolder, parent)
            && PathComparison.NameMatchesSettings(Path.GetFileName(target));
    }
}
