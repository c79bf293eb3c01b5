namespace McpPlanServer.Clients.Hooks;

/// <summary>One change a Bash call would make.</summary>
/// <param name="Kind">The kind of change.</param>
/// <param name="Command">Short description for the reason, such as <c>git commit</c>, <c>sed -i</c>, <c>&gt; redirection</c>.</param>
/// <param name="TargetPath">For file writes: the absolute target, or null when it cannot be evaluated.</param>
/// <param name="TargetText">For file writes: the target as written.</param>
/// <param name="CoversDescendants">For file writes: the whole tree under the target is removed or moved.</param>
/// <param name="LocationUnknown">For file writes: a relative target after a <c>cd</c> to a folder the hook cannot name.</param>
/// <param name="DirectoryUncertain">For file writes: a relative target judged in one of several folders an earlier <c>cd</c> may have left the shell in.</param>
internal sealed record BashEffect(
    BashEffectKind Kind,
    string Command,
    string? TargetPath = null,
    string? TargetText = null,
    bool CoversDescendants = false,
    bool LocationUnknown = false,
    bool DirectoryUncertain = false)
{
    /// <summary>For git: the folders it works in (the shell's, moved by <c>-C</c>, plus <c>--work-tree</c> and <c>--git-dir</c>), as far as known.</summary>
    public IReadOnlyList<string> GitFolders { get; init; } = [];
}
