using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage.Postgres;
using McpPlanServer.Tests.Support;
using Npgsql;

namespace McpPlanServer.Tests.Storage.Postgres;

/// <summary>The store contract on PostgreSQL: each instance has its own data source (its own connections), as a second machine would.</summary>
public sealed class PostgresPlanStoreContractTests : PlanStoreContract
{
    private readonly List<PostgresPlanStore> opened = [];
    private readonly Lazy<string> connection = new(() => PostgresCluster.Shared.CreateDatabase());

    protected override IPlanStore Open(PlanServerConfig config)
    {
        var store = new PostgresPlanStore(PostgresConnection.Open(connection.Value), "contract", config);
        lock (opened)
        {
            opened.Add(store);
        }

        return store;
    }

    protected override void SpoilRecord(PlanId id)
    {
        using var database = new NpgsqlConnection(connection.Value);
        database.Open();
        using var command = new NpgsqlCommand("UPDATE mcpplan_records SET body = convert_to('{ not a record', 'UTF8') WHERE repository = 'contract' AND plan_id = @plan", database);
        command.Parameters.AddWithValue("plan", id.Value);
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    public override void Dispose()
    {
        foreach (var store in opened)
        {
            store.Dispose();
        }
    }
}
