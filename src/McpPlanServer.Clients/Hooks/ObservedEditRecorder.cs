using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Evidence;
using McpPlanServer.Storage;
using McpPlanServer.Storage.Postgres;

namespace McpPlanServer.Clients.Hooks;

/// <summary>
/// Records, in the plan store the config names, the edits an observe-only hook event reported that the session's role
/// may not make (<see cref="HookCall.ObservedBy"/>), so read_active_plan, review_implementation and status report them.
/// A store that cannot record them refuses, and the hook exits 2: the client shows the failure instead of nothing.
/// </summary>
internal static class ObservedEditRecorder
{
    public static void Record(HookPolicy policy, IEnumerable<HookRequest> deniedEdits, string client, string role)
    {
        var edits = deniedEdits
            .Select(request => new ObservedEdit(RepoRelative(policy.RepoRoot, request), DateTimeOffset.UtcNow, client, role))
            .ToList();
        if (edits.Count == 0 || policy.UnplacedReason is not null)
        {
            return;
        }

        var config = ConfigFile.Load(Path.Join(policy.RepoRoot, HookPolicyLoader.ConfigRelativePath));
        var store = PlanStoreOpener.Open(SharedStoreRoot.For(policy.RepoRoot), config, Environment.GetEnvironmentVariable);
        try
        {
            using var _ = store.AcquireLock();
            edits.ForEach(store.AppendObservedEdit);
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    /// <summary>The file relative to the repository root with forward slashes, or its full path when it is outside the repository.</summary>
    private static string RepoRelative(string repoRoot, HookRequest request)
    {
        var full = Path.GetFullPath(request.ToolInput["file_path"]!.GetValue<string>(), request.WorkingDirectory);
        var relative = Path.GetRelativePath(repoRoot, full);
        return relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative)
            ? full
            : relative.Replace(Path.DirectorySeparatorChar, '/');
    }
}
