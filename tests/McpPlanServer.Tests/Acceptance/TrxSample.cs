namespace McpPlanServer.Tests.Acceptance;

/// <summary>A TRX file written by <c>dotnet test --logger trx</c> (26 tests of this repository), its result list left out.</summary>
internal static class TrxSample
{
    public const string Text = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<TestRun id=\"46b8fac6-c977-4694-aeaf-6704937b6ee2\" name=\"@vm 2026-12-02 13:25:11\" xmlns=\"http://microsoft.com/schemas/VisualStudio/TeamTest/2010\">\n  <Times creation=\"2026-12-02T13:25:11.2021734+00:00\" queuing=\"2026-12-02T13:25:11.2021735+00:00\" start=\"2026-12-02T13:25:03.3193984+00:00\" finish=\"2026-12-02T13:25:11.5968163+00:00\" />\n  <ResultSummary outcome=\"Completed\">\n    <Counters total=\"26\" executed=\"26\" passed=\"26\" failed=\"0\" error=\"0\" timeout=\"0\" aborted=\"0\" inconclusive=\"0\" passedButRunAborted=\"0\" notRunnable=\"0\" notExecuted=\"0\" disconnected=\"0\" warning=\"0\" completed=\"0\" inProgress=\"0\" pending=\"0\" />\n    <Output>\n      <StdOut>[xUnit.net 00:00:00.02] xUnit.net VSTest Adapter v3.1.5+1b188a7b0a (64-bit .NET 10.0.12)\n[xUnit.net 00:00:00.92]   Discovering: McpPlanServer.Tests\n[xUnit.net 00:00:02.74]   Discovered:  McpPlanServer.Tests\n[xUnit.net 00:00:03.06]   Starting:    McpPlanServer.Tests\n[xUnit.net 00:00:04.57]   Finished:    McpPlanServer.Tests\n</StdOut>\n    </Output>\n  </ResultSummary>\n</TestRun>";

    public static readonly Core.Records.TestCounts Expected = new(26, 0, 0, "trx");
}
