namespace McpPlanServer.Core.Records;

/// <summary>Tests passed, failed and skipped as the runner reported them, and where the numbers came from (a report
/// file such as <c>junit</c> or <c>trx</c>, or a runner's closing lines such as <c>pytest</c>).</summary>
public sealed record TestCounts(int Passed, int Failed, int Skipped, string Source)
{
    public int Total => Passed + Failed + Skipped;

    public TestCounts Add(TestCounts other) => new(Passed + other.Passed, Failed + other.Failed, Skipped + other.Skipped, Source);
}
