using McpPlanServer.Core.Lifecycle;

namespace McpPlanServer.Core.Workflow;

/// <summary>
/// Summaries shared by every process on one plans root, so a fresh process (the CLI's status, a new server, the board)
/// does not read every plan again. The store proves only that its entries were written by an mcpplan process for this
/// plans root and build (anything else reads as no entries); <see cref="PlanSummaryIndex"/> serves an entry only while
/// its key still holds, exactly as for the entries it keeps in memory.
/// </summary>
public interface ISharedSummaries
{
    /// <summary>The entries as last saved by any process; empty when there are none or they cannot be proven.</summary>
    IReadOnlyDictionary<(string Id, PlanFolder Folder), SharedSummary> Load();

    /// <summary>Replaces the saved entries in one atomic write. Never throws: a cache that cannot be written is a cache miss later.</summary>
    void Save(IReadOnlyCollection<SharedSummary> entries);
}
