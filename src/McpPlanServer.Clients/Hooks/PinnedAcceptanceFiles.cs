using McpPlanServer.Core.Acceptance;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Storage;
using McpPlanServer.Storage.Postgres;

namespace McpPlanServer.Clients.Hooks;

/// <summary>
/// The pins of active plans (issue 20) from the plan store the config names (the main worktree's files, or the
/// PostgreSQL database), as the server reads it. A store that cannot be read refuses (the hook then denies: fail closed).
/// </summary>
internal static class PinnedAcceptanceFiles
{
    public static IReadOnlyList<string> Read(string repoRoot, PlanServerConfig config)
    {
        var store = PlanStoreOpener.Open(SharedStoreRoot.For(repoRoot), config, Environment.GetEnvironmentVariable);
        try
        {
            return ActivePins.Read(store);
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }
}
