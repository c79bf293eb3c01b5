using McpPlanServer.Core.Acceptance;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Storage;

namespace McpPlanServer.Clients.Hooks;

/// <summary>The pins of active plans (issue 20) from the shared plan store, the main worktree's, as the server reads it.</summary>
internal static class PinnedAcceptanceFiles
{
    public static IReadOnlyList<string> Read(string repoRoot, PlanServerConfig config) =>
        ActivePins.Read(new FilePlanStore(SharedStoreRoot.For(repoRoot), config));
}
