namespace McpPlanServer.Core.Evidence;

/// <summary>A commit as evidence: who, when, what it says (trailers parsed) and which files it changed.</summary>
public sealed record CommitFacts(
    string Sha,
    string Subject,
    string Message,
    string Author,
    DateTimeOffset At,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Trailers,
    IReadOnlyList<FileChange> Files)
{
    /// <summary>The commit's tree and first parent: with the trailers, what adoption compares with a recorded intent.</summary>
    public string? TreeId { get; init; }

    public string? ParentSha { get; init; }

    public string? Trailer(string key) => Trailers.TryGetValue(key, out var values) && values.Count > 0 ? values[^1] : null;
}
