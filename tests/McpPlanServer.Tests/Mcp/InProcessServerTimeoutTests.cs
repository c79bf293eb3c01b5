using McpPlanServer.Core.Lifecycle;
using ModelContextProtocol.Server;

namespace McpPlanServer.Tests.Mcp;

/// <summary>
/// The in-process base's bound: a call that never answers is cancelled by the test's token once the bound passes, so a
/// hung server fails its test instead of the run. The bound is short here; every other test has the default two minutes.
/// </summary>
public sealed class InProcessServerTimeoutTests(ITestOutputHelper output) : InProcessServerTestBase(output)
{
    // Long enough that the server starts first on a loaded machine; if it does not, the start is what gets cancelled.
    protected override TimeSpan TestTimeout => TimeSpan.FromSeconds(3);

    // xUnit's own timeout fails the test (instead of hanging the run) if the bound did not work.
    [Fact(Timeout = 60_000)]
    public async Task A_call_that_never_answers_is_cancelled_by_the_bound_and_not_by_xunit()
    {
        var hang = McpServerTool.Create(
            async (CancellationToken cancellationToken) =>
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return "unreachable";
            },
            new McpServerToolCreateOptions { Name = "hang" });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            var server = await StartServerAsync(Actor.Planner, _ => [hang]);
            await server.Client.CallToolAsync("hang", cancellationToken: TestCancellationToken);
        });

        Assert.True(TestCancellationToken.IsCancellationRequested);
        Assert.False(TestContext.Current.CancellationToken.IsCancellationRequested);
    }
}
