using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Diagnostics;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Storage.Postgres;

/// <summary>
/// The store a repository's config names: the file store under <paramref name="storeRoot"/> (the main worktree), or the
/// PostgreSQL database. One place, so the server, the CLI and the hook can never read different stores.
/// </summary>
public static class PlanStoreOpener
{
    public static IPlanStore Open(string storeRoot, PlanServerConfig config, Func<string, string?> environment, IFaultPoints? faults = null) =>
        config.Store.Kind == StoreKind.Postgres
            ? PostgresPlanStore.Open(config, environment, faults)
            : new FilePlanStore(storeRoot, config, faults);
}
