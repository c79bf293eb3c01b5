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
    public string? Trailer(string key) => Trailers.TryGetValue(key, out var values) && values.Count > 0 ? values[^1] : null;
}
