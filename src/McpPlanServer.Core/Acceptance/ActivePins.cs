using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Core.Acceptance;

/// <summary>
/// The acceptance test files pinned by the approvals of active plans, read from their records: what the hook and the
/// sandbox rules keep the implementer from writing. A record that cannot be read is skipped: commit_step, the review and
/// the runner still hold for its plan, and one bad file must not stop every session's tool calls.
/// </summary>
public static class ActivePins
{
    public static IReadOnlyList<string> Read(IPlanStore store)
    {
        var pinned = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var location in store.ListPlanNames().Where(location => location.Folder == PlanFolder.Active))
        {
            try
            {
                pinned.UnionWith(store.ReadRecord(location.Id)?.Approval?.PinnedFiles ?? []);
            }
            catch (PlanRefusedException)
            {
            }
        }

        return [.. pinned];
    }
}
