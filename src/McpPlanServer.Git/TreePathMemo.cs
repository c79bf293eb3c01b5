using System.Collections.Concurrent;
using LibGit2Sharp;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Git;

/// <summary>
/// What a tree holds at a path, kept for the life of the process. A tree never changes (its id is the hash of its
/// content), so the answer for a (tree, path) pair is the same in every repository and at every later call; only which
/// tree HEAD is changes, and that is read fresh each time. Asking git instead reads, inflates and parses the folder's
/// whole tree object (800 KB for a 20,000-file folder, 10-20 ms each): <c>commit_step</c>'s check of the plan's
/// earlier step commits asked each commit's tree and its parent's again at every step, so the check grew by about two
/// such trees per earlier commit. Bounded (<see cref="PlanLimits.GitTreePathMemoEntries"/>); emptied when full.
/// </summary>
internal static class TreePathMemo
{
    private static readonly ConcurrentDictionary<(ObjectId Tree, string Path), (ObjectId Id, Mode Mode)?> Entries = new();

    /// <summary>The id and mode at <paramref name="path"/> in <paramref name="tree"/>, or null when the tree has nothing there.</summary>
    public static (ObjectId Id, Mode Mode)? EntryAt(Tree? tree, string path)
    {
        if (tree is null)
        {
            return null;
        }

        if (Entries.TryGetValue((tree.Id, path), out var known))
        {
            return known;
        }

        var entry = tree[path] is { } found ? (found.Target.Id, found.Mode) : ((ObjectId Id, Mode Mode)?)null;
        if (Entries.Count >= PlanLimits.GitTreePathMemoEntries)
        {
            Entries.Clear();
        }

        Entries[(tree.Id, path)] = entry;
        return entry;
    }
}
