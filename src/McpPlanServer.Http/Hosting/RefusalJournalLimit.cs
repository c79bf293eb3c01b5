namespace McpPlanServer.Http.Hosting;

/// <summary>
/// How many refusals at the HTTP door reach the journal: at most <see cref="Limit"/> per <see cref="Window"/> for each
/// bucket (anyone without an issued token shares one bucket; each issued token has its own, so a flood of anonymous
/// requests cannot hide a revoked token's attempts). The rest are counted, and the first line journaled in the next
/// window says how many were left out. The journal then grows by a bounded amount however many requests arrive.
/// </summary>
public sealed class RefusalJournalLimit(TimeProvider clock, int limit = RefusalJournalLimit.DefaultLimit, TimeSpan? window = null)
{
    public const int DefaultLimit = 30;

    /// <summary>The bucket of requests that presented no token the person issued.</summary>
    public const string Anonymous = "anonymous";

    /// <summary>Buckets kept at most; beyond it, tokens share the anonymous bucket (there are never this many issued tokens).</summary>
    private const int MaxBuckets = 1024;

    private readonly Dictionary<string, Bucket> buckets = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public int Limit => limit;

    public TimeSpan Window { get; } = window ?? TimeSpan.FromMinutes(1);

    /// <summary>
    /// Whether this refusal is journaled, and how many refusals of its bucket were left out of the journal in the
    /// windows before it (to be said in its line). A refusal not journaled is only counted.
    /// </summary>
    public (bool Journal, int LeftOutBefore) Next(string bucket)
    {
        lock (gate)
        {
            if (!buckets.ContainsKey(bucket) && buckets.Count >= MaxBuckets)
            {
                bucket = Anonymous;
            }

            var now = clock.GetUtcNow();
            var state = buckets.TryGetValue(bucket, out var found) ? found : new Bucket(now, 0, 0);
            if (now - state.Started >= Window)
            {
                state = state with { Started = now, Journaled = 0 };
            }

            if (state.Journaled < limit)
            {
                buckets[bucket] = state with { Journaled = state.Journaled + 1, LeftOut = 0 };
                return (true, state.LeftOut);
            }

            buckets[bucket] = state with { LeftOut = state.LeftOut + 1 };
            return (false, 0);
        }
    }

    private sealed record Bucket(DateTimeOffset Started, int Journaled, int LeftOut);
}
