namespace McpPlanServer.Clients.Hooks;

/// <summary>Where a write would land, as far as the hook's rules care.</summary>
/// <param name="Display">The path as shown in a reason: repository-relative when inside it.</param>
/// <param name="IsKnown">False when the path depends on something the hook cannot evaluate (a variable, command output).</param>
/// <param name="ProtectedName">The protected file or folder the write touches, or null.</param>
/// <param name="InPlansRoot">The write lands in (or removes) the plans root.</param>
/// <param name="InRepository">The write lands in (or removes) part of the repository.</param>
internal sealed record TargetClass(string Display, bool IsKnown, string? ProtectedName, bool InPlansRoot, bool InRepository)
{
    /// <summary>The pinned acceptance test file the write touches (issue 20), or null.</summary>
    public string? PinnedFile { get; init; }
}
