using System.Security.Cryptography;

namespace McpPlanServer.Tests.Git;

/// <summary>
/// What a refusal must leave alone: HEAD, the bytes of <c>.git/index</c> (or its absence), every working-tree file
/// outside <c>.git</c> by content hash (symlinks by target), and the lock files a test created.
/// </summary>
internal sealed class RepositorySnapshot
{
    private RepositorySnapshot(string? head, byte[]? index, SortedDictionary<string, string> files, IReadOnlyList<string> locks)
    {
        Head = head;
        Index = index;
        Files = files;
        Locks = locks;
    }

    public string? Head { get; }

    public byte[]? Index { get; }

    public SortedDictionary<string, string> Files { get; }

    public IReadOnlyList<string> Locks { get; }

    public static RepositorySnapshot Take(TemporaryGitRepository repository, params string[] locks)
    {
        var indexPath = Path.Join(repository.Root, ".git", "index");
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Collect(repository.Root, repository.Root, files);
        return new RepositorySnapshot(repository.Head(), File.Exists(indexPath) ? File.ReadAllBytes(indexPath) : null, files, locks);
    }

    /// <summary>Asserts that nothing observable changed since this snapshot and that its locks are still held.</summary>
    public void AssertUnchanged(TemporaryGitRepository repository)
    {
        var now = Take(repository);
        Assert.Equal(Head, now.Head);
        Assert.Equal(Index is null, now.Index is null);
        if (Index is not null)
        {
            Assert.True(Index.AsSpan().SequenceEqual(now.Index), ".git/index changed");
        }

        Assert.Equal(Files, now.Files);
        foreach (var lockFile in Locks)
        {
            Assert.True(File.Exists(lockFile), $"{lockFile} was removed");
        }
    }

    private static void Collect(string root, string directory, SortedDictionary<string, string> files)
    {
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            var relative = Path.GetRelativePath(root, entry.FullName).Replace('\\', '/');
            if (relative == ".git")
            {
                continue;
            }

            if (entry.LinkTarget is { } target)
            {
                files[relative] = "link:" + target;
            }
            else if (entry is DirectoryInfo)
            {
                files[relative + "/"] = "dir";
                Collect(root, entry.FullName, files);
            }
            else if (entry.Name == ".lock")
            {
                // The plans lock carries no data, and reading it takes a shared flock that fails while a child process
                // forked by another test still holds an inherited copy of its descriptor (before its exec closes it).
                files[relative] = "lock";
            }
            else
            {
                files[relative] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(entry.FullName)));
            }
        }
    }
}
