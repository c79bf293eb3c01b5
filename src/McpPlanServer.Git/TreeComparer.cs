using LibGit2Sharp;
using McpPlanServer.Core.Evidence;

namespace McpPlanServer.Git;

/// <summary>
/// Compares two trees by walking them, skipping any subtree whose id is equal on both sides, so the cost follows the
/// size of the change rather than of the repository. Our own walk instead of LibGit2Sharp's diff keeps it AOT-safe.
/// </summary>
internal static class TreeComparer
{
    public static List<TreeDifference> Compare(Tree? oldTree, Tree? newTree)
    {
        var differences = new List<TreeDifference>();
        Walk(oldTree, newTree, string.Empty, differences);
        return differences;
    }

    private static void Walk(Tree? oldTree, Tree? newTree, string prefix, List<TreeDifference> differences)
    {
        if (oldTree is not null && newTree is not null && oldTree.Id == newTree.Id)
        {
            return;
        }

        var oldEntries = oldTree?.ToDictionary(entry => entry.Name, StringComparer.Ordinal) ?? [];
        var newEntries = newTree?.ToDictionary(entry => entry.Name, StringComparer.Ordinal) ?? [];
        foreach (var name in oldEntries.Keys.Union(newEntries.Keys).Order(StringComparer.Ordinal))
        {
            oldEntries.TryGetValue(name, out var before);
            newEntries.TryGetValue(name, out var after);
            var path = prefix + name;
            var beforeTree = before?.Target as Tree;
            var afterTree = after?.Target as Tree;
            if (beforeTree is not null || afterTree is not null)
            {
                Walk(beforeTree, afterTree, path + "/", differences);
            }

            var beforeBlob = before?.Target as Blob;
            var afterBlob = after?.Target as Blob;
            if (beforeBlob is null && afterBlob is null)
            {
                continue;
            }

            if (beforeBlob is null)
            {
                differences.Add(new TreeDifference(path, FileChangeKind.Added, null, afterBlob));
            }
            else if (afterBlob is null)
            {
                differences.Add(new TreeDifference(path, FileChangeKind.Deleted, beforeBlob, null));
            }
            else if (beforeBlob.Id != afterBlob.Id || before!.Mode != after!.Mode)
            {
                differences.Add(new TreeDifference(path, FileChangeKind.Modified, beforeBlob, afterBlob));
            }
        }
    }
}
