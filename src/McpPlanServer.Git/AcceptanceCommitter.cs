using System.Text;
using LibGit2Sharp;
using McpPlanServer.Core.Paths;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Git;

/// <summary>
/// Commits a plan's acceptance test files at approval, the plan's first commit. The tree is HEAD's tree with the files'
/// exact bytes (built in git's object database, so no working-tree content, hook or filter is involved), the branch
/// moves by compare-and-swap, then index and working tree follow for those paths. Every check comes before the commit:
/// a path reached through a link, or a working-tree file with uncommitted changes of its own, refuses and changes nothing.
/// </summary>
internal sealed class AcceptanceCommitter(Repository repository, string workingDirectory)
{
    /// <summary>The new commit's sha, or null when HEAD already holds exactly these files (nothing to pin anew).</summary>
    public string? Commit(IReadOnlyList<AcceptanceFile> files, string message, IReadOnlyList<KeyValuePair<string, string>> trailers)
    {
        RepositoryPreflight.Check(repository);
        var head = repository.Head.Tip;
        var definition = head is null ? new TreeDefinition() : TreeDefinition.From(head.Tree);
        var blobs = new Dictionary<string, Blob>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            RequireSafe(file);
            using var content = new MemoryStream(Encoding.UTF8.GetBytes(file.Content));
            var blob = repository.ObjectDatabase.CreateBlob(content);
            blobs[file.Path] = blob;
            definition.Add(file.Path, blob, Mode.NonExecutableFile);
        }

        var tree = repository.ObjectDatabase.CreateTree(definition);
        if (head is not null && tree.Id == head.Tree.Id)
        {
            return null;
        }

        var signature = repository.Config.BuildSignature(DateTimeOffset.Now) ?? new Signature("mcpplan", "mcpplan@localhost", DateTimeOffset.Now);
        var body = $"{message.Trim()}\n\n{string.Join('\n', trailers.Select(pair => $"{pair.Key}: {pair.Value}"))}\n";
        var commit = repository.ObjectDatabase.CreateCommit(signature, signature, body, tree, head is null ? [] : [head], prettifyMessage: false);
        var branch = repository.Refs.Head is SymbolicReference symbolic ? symbolic.TargetIdentifier : "refs/heads/main";
        try
        {
            if (repository.Refs[branch] is { } reference)
            {
                if (reference.TargetIdentifier != head?.Sha)
                {
                    throw HeadMoved();
                }

                repository.Refs.UpdateTarget(reference, commit.Id, "commit (mcpplan): pin acceptance tests");
            }
            else
            {
                repository.Refs.Add(branch, commit.Id, "commit (mcpplan): pin acceptance tests", allowOverwrite: false);
            }
        }
        catch (LockedFileException)
        {
            throw new PlanRefusedException("repository_busy", "Repository busy: another git process holds the branch lock. Retry in a moment; nothing was approved or committed.");
        }
        catch (LibGit2SharpException error) when (error is NameConflictException || error.Message.Contains("modified", StringComparison.OrdinalIgnoreCase))
        {
            throw HeadMoved();
        }

        // The commit is made: bring the index and the working tree in line for these paths (temp file, then rename, so a
        // link placed at the path is replaced, never written through).
        foreach (var (path, blob) in blobs)
        {
            repository.Index.Add(blob, path, Mode.NonExecutableFile);
            var full = Full(path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            var temporary = full + ".mcpplan-" + Guid.NewGuid().ToString("N")[..8];
            File.WriteAllBytes(temporary, Encoding.UTF8.GetBytes(files.First(file => file.Path == path).Content));
            File.Move(temporary, full, overwrite: true);
        }

        try
        {
            repository.Index.Write();
        }
        catch (LockedFileException)
        {
            // The commit stands; git's index catches up with the next `git status`/`git add` of these paths.
        }

        return commit.Sha;
    }

    /// <summary>No link on the way (folders or the file), and no uncommitted change of the person's that pinning would overwrite.</summary>
    private void RequireSafe(AcceptanceFile file)
    {
        if (!RepoRelativePath.TryNormalize(file.Path, out var normalized, out var error) || normalized != file.Path)
        {
            throw new PlanRefusedException("path_outside_repository", error ?? $"'{file.Path}' is not a normalized repository path.");
        }

        var current = workingDirectory;
        foreach (var part in file.Path.Split('/'))
        {
            current = Path.Combine(current, part);
            if (new FileInfo(current).LinkTarget is not null)
            {
                throw new PlanRefusedException(
                    "path_through_symlink",
                    $"The acceptance test file '{file.Path}' is reached through a symbolic link ({Path.GetRelativePath(workingDirectory, current)}). Nothing was approved. Replace the link with a real folder or file, then approve again.");
            }
        }

        var full = Full(file.Path);
        if (!File.Exists(full))
        {
            return;
        }

        var status = repository.RetrieveStatus(file.Path);
        if (status is FileStatus.Unaltered or FileStatus.Ignored)
        {
            return;
        }

        if (!File.ReadAllBytes(full).AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(file.Content)))
        {
            throw new PlanRefusedException(
                "acceptance_path_dirty",
                $"'{file.Path}' has uncommitted changes in the working tree, and pinning the acceptance test would overwrite them. Nothing was approved. Commit, move or restore the file (git stash / git restore), then approve again.");
        }
    }

    private string Full(string path) => Path.Combine(workingDirectory, path.Replace('/', Path.DirectorySeparatorChar));

    private static PlanRefusedException HeadMoved() =>
        new("head_moved", "HEAD moved while pinning the acceptance tests (another process committed). Nothing was approved or committed; approve again.");
}
