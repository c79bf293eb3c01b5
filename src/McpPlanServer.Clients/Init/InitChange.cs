namespace McpPlanServer.Clients.Init;

/// <summary>One file or folder init creates, updates or leaves alone.</summary>
/// <param name="RelativePath">Repository-relative, forward slashes; folders end with <c>/</c>.</param>
/// <param name="Kind">What happens to it.</param>
/// <param name="Detail">What an update adds or changes, for the report.</param>
/// <param name="NewContent">The full new text of a created or updated file; null for folders and unchanged files.</param>
internal sealed record InitChange(string RelativePath, InitChangeKind Kind, string? Detail = null, string? NewContent = null)
{
    public bool IsFolder => RelativePath.EndsWith('/');

    public string Describe() => Kind switch
    {
        InitChangeKind.Create => $"create    {RelativePath}",
        InitChangeKind.Update => $"update    {RelativePath} ({Detail})",
        _ => $"unchanged {RelativePath}",
    };
}
