using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage.Postgres;
using McpPlanServer.Tests.Support;

namespace McpPlanServer.Tests.Storage.Postgres;

/// <summary>The store contract on PostgreSQL: each instance has its own data source (its own connections), as a second machine would.</summary>
public sealed class PostgresPlanStoreContractTests : PlanStoreContract
{
    private readonly List<PostgresPlanStore> opened = [];
    private readonly Lazy<string> connection = new(() => PostgresCluster.Shared.CreateDatabase());

    protected override IPlanStore Open()
    {
        var store = new PostgresPlanStore(PostgresConnection.Open(connection.Value), "contract", new PlanServerConfig());
        lock (opened)
        {
            opened.Add(store);
        }

        return store;
    }

    public override void Dispose()
    {
        foreach (var store in opened)
        {
            store.Dispose();
        }
    }
}
