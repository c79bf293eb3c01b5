using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage.Postgres;
using McpPlanServer.Tests.Support;
using McpPlanServer.Tests.Storage;

namespace McpPlanServer.Tests.Storage.Postgres;

/// <summary>A write that fails inside a change undoes the whole change: the text written before it in the same change too.</summary>
public sealed class PostgresFaultTests
{
    [Fact]
    public void A_failure_between_the_journal_line_and_the_record_rolls_back_the_whole_change()
    {
        var connection = PostgresCluster.Shared.CreateDatabase();
        var faults = new FaultProbe();
        using var store = new PostgresPlanStore(PostgresConnection.Open(connection), "repo", new PlanServerConfig(), faults);
        var id = PlanId.Parse("faulted");
        const string Text = "# Plan: F\n\n## Summary\nS\n";
        faults.CrashAt("postgres:before-record");
        Assert.Throws<SimulatedCrashException>(() =>
            {
                using (store.AcquireLock())
                {
                    store.WriteText(id, PlanFolder.Review, Text);
                    store.WriteRecord(new PlanRecord { Id = id.Value, Revision = 1, TextSha256 = PlanText.Sha256Hex(Text) }, new JournalEntry { At = DateTimeOffset.UtcNow, Actor = "planner", Action = "write_plan", Outcome = "ok" });
                }
            });

        Assert.Empty(store.ListPlans());
        Assert.Empty(store.ReadJournal());
        Assert.Null(store.ReadRecord(id));
    }
}
