using McpPlanServer.Http.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace McpPlanServer.Tests.Http;

/// <summary>A flood of refused requests journals a bounded number of lines, says how many it left out, and cannot crowd out an issued token's refusals.</summary>
public sealed class RefusalJournalLimitTests
{
    [Fact]
    public void A_flood_is_journaled_up_to_the_limit_per_window_and_the_next_window_says_how_many_were_left_out()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-02T16:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var limit = new RefusalJournalLimit(clock, limit: 5);

        var first = Enumerable.Range(0, 10_000).Select(_ => limit.Next(RefusalJournalLimit.Anonymous)).ToList();
        clock.Advance(TimeSpan.FromSeconds(59));
        var stillInWindow = limit.Next(RefusalJournalLimit.Anonymous);
        clock.Advance(TimeSpan.FromSeconds(1));
        var nextWindow = limit.Next(RefusalJournalLimit.Anonymous);
        var afterThat = limit.Next(RefusalJournalLimit.Anonymous);

        Assert.Equal(5, first.Count(decision => decision.Journal));
        Assert.All(first, decision => Assert.Equal(0, decision.LeftOutBefore));
        Assert.False(stillInWindow.Journal);
        Assert.Equal((true, 9_996), nextWindow);
        Assert.Equal((true, 0), afterThat);
    }

    [Fact]
    public void An_issued_tokens_refusals_have_their_own_budget_that_anonymous_requests_cannot_use_up()
    {
        var limit = new RefusalJournalLimit(new FakeTimeProvider(), limit: 3);
        for (var i = 0; i < 100; i++)
        {
            limit.Next(RefusalJournalLimit.Anonymous);
        }

        Assert.True(limit.Next("token-identity-1").Journal);
        Assert.False(limit.Next(RefusalJournalLimit.Anonymous).Journal);
    }
}
