using LibGit2Sharp;
using McpPlanServer.Core.Diagnostics;
using McpPlanServer.Core.Evidence;
using McpPlanServer.Core.Paths;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Git;

/// <summary>
/// Commits exactly a step's paths. The new tree is HEAD's tree plus those paths' working-tree content, converted by
/// git's built-in rules as <c>git add</c> would (line endings from <c>text</c>/<c>eol</c>/<c>core.autocrlf</c>, <c>ident</c>);
/// no program of the repository ever runs — no hook, no clean filter — so a path that only an external filter can
/// convert (Git LFS above all) is refused. Other staged changes stay staged, untouched. The branch moves by
/// compare-and-swap against the HEAD seen when the commit was prepared.
/// </summary>
internal sealed class StepCommitter(Repository repository, string workingDirectory, IFaultPoints faults)
{
    private const string FallbackName = "mcpplan";
    private const string FallbackEmail = "mcpplan@localhost";

    public PreparedCommit Prepare(StepCommitRequest request)
    {
        var lap = System.Diagnostics.Stopwatch.GetTimestamp();
        RepositoryPreflight.Check(repository);
        BenchTimings.Lap("step:preflight", ref lap);
        ValidateMessage(request.Message);
        var head = repository.Head.Tip;
        var paths = request.Paths is null
            ? ChangedOutside(request.ExcludedFolder).Where(path => ProtectedBy(path, request.ProtectedPaths) is null).ToList()
            : Resolve(request.Paths, request.ExcludedFolder, request.ProtectedPaths);
        BenchTimings.Lap("step:resolve", ref lap);
        RefuseExternallyFiltered(paths);
        BenchTimings.Lap("step:filters", ref lap);
        var tree = BuildTree(head?.Tree, paths, out var differences, out var written);
        if ((head is not null && tree.Id == head.Tree.Id) || (head is null && differences.Count == 0))
        {
            throw new PlanRefusedException(
                RefusalCodes.NothingToCommit,
                request.Paths is null
                    ? "Nothing to commit: no file outside the plans folder differs from HEAD. Make the step's changes first."
                    : $"Nothing to commit: {string.Join(", ", request.Paths)} do not differ from HEAD. Check the paths, or make the step's changes first.");
        }

        var files = differences.Select(ChangeStatistics.Describe).ToList();
        return new PreparedCommit(request, head?.Sha, files, new PreparedTree(tree, paths, written)) { TreeId = tree.Sha };
    }

    public CommittedStep Commit(PreparedCommit prepared)
    {
        var lap = System.Diagnostics.Stopwatch.GetTimestamp();
        RepositoryPreflight.Check(repository);
        BenchTimings.Lap("step:preflight-again", ref lap);
        var (tree, paths, written) = (PreparedTree)prepared.Token;
        var head = repository.Head.Tip;
        if (head?.Sha != prepared.ExpectedHead)
        {
            throw HeadMoved(prepared.ExpectedHead, head?.Sha);
        }

        var signature = repository.Config.BuildSignature(DateTimeOffset.Now) ?? new Signature(FallbackName, FallbackEmail, DateTimeOffset.Now);
        var message = ComposeMessage(prepared.Request);
        var commit = repository.ObjectDatabase.CreateCommit(signature, signature, message, tree, head is null ? [] : [head], prettifyMessage: false);
        var branch = repository.Refs.Head is SymbolicReference symbolic ? symbolic.TargetIdentifier : "refs/heads/main";
        try
        {
            var reference = repository.Refs[branch];
            if (reference is null)
            {
                if (head is not null)
                {
                    throw HeadMoved(prepared.ExpectedHead, null);
                }

                repository.Refs.Add(branch, commit.Id, "commit (mcpplan): " + Subject(message), allowOverwrite: false);
            }
            else
            {
                if (reference.TargetIdentifier != prepared.ExpectedHead)
                {
                    throw HeadMoved(prepared.ExpectedHead, reference.TargetIdentifier);
                }

                // libgit2 checks the reference still points where it did when read: a concurrent commit fails here.
                repository.Refs.UpdateTarget(reference, commit.Id, "commit (mcpplan): " + Subject(message));
            }
        }
        catch (LockedFileException)
        {
            throw new PlanRefusedException(RefusalCodes.RepositoryBusy, "Repository busy: another git process holds the branch lock. Retry in a moment; nothing was committed.");
        }
        catch (LibGit2SharpException error) when (error is NameConflictException || error.Message.Contains("modified", StringComparison.OrdinalIgnoreCase))
        {
            throw HeadMoved(prepared.ExpectedHead, repository.Head.Tip?.Sha);
        }

        BenchTimings.Lap("step:commit+ref", ref lap);
        faults.Reached("commit-step:before-index-update");
        return new CommittedStep(commit.Sha, head?.Sha, prepared.Files) { IndexUpdated = UpdateIndex(paths, written) };
    }

    /// <summary>Brings the index in line for the committed paths: each takes the entry the committed tree has for it
    /// (<paramref name="written"/>, from <see cref="BuildTree"/>: asking the tree again would parse each changed folder's
    /// whole tree twice per path), and a path without one leaves the index. False when another process holds index.lock:
    /// the caller must say so, because a commit made from that stale index would undo the step.</summary>
    private bool UpdateIndex(IReadOnlyList<string> paths, IReadOnlyDictionary<string, (Blob Blob, Mode Mode)> written)
    {
        var lap = System.Diagnostics.Stopwatch.GetTimestamp();
        var index = repository.Index;
        BenchTimings.Lap("step:index-load-again", ref lap);
        foreach (var path in paths)
        {
            if (written.TryGetValue(path, out var entry))
            {
                index.Add(entry.Blob, path, entry.Mode);
            }
            else if (index[path] is not null)
            {
                index.Remove(path);
            }
        }

        BenchTimings.Lap("step:index-update", ref lap);
        try
        {
            index.Write();
            BenchTimings.Lap("step:index-write", ref lap);
            return true;
        }
        catch (LockedFileException)
        {
            return false;
        }
    }

    /// <summary>
    /// HEAD's tree with the step's paths, written by libgit2 from an index: this handle's index, set to HEAD's tree in
    /// memory and never written (the handle is Prepare's own and is disposed after it), takes the step's entries, and only
    /// the folders on their paths become new trees. A <see cref="TreeDefinition"/> would marshal every entry of each changed
    /// folder one by one (20,000 round trips for a file in a 20,000-file folder).
    /// </summary>
    private Tree BuildTree(Tree? headTree, IReadOnlyList<string> paths, out List<TreeDifference> differences, out Dictionary<string, (Blob Blob, Mode Mode)> written)
    {
        var lap = System.Diagnostics.Stopwatch.GetTimestamp();
        var index = repository.Index;
        BenchTimings.Lap("step:index-load", ref lap);
        if (headTree is null)
        {
            index.Clear();
        }
        else
        {
            index.Replace(headTree);
        }

        BenchTimings.Lap("step:index-from-head", ref lap);

        var entries = new List<(string Path, Blob Blob, Mode Mode)>();

        // HEAD's entry of each path, from the index in memory: asking the tree (git_tree_entry_bypath) reads and parses the
        // whole folder's tree object again on every call, since libgit2 does not cache a tree that large.
        var before = paths.ToDictionary(path => path, path => index[path] is { } entry ? (Id: entry.Id, Mode: entry.Mode) : ((ObjectId Id, Mode Mode)?)null, StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var full = Path.Combine(workingDirectory, path.Replace('/', Path.DirectorySeparatorChar));
            var info = new FileInfo(full);
            if (info.LinkTarget is { } target)
            {
                var resolved = Path.GetFullPath(target, Path.GetDirectoryName(full)!);
                if (!PathContainment.IsInside(resolved, workingDirectory, PathContainment.Platform))
                {
                    throw new PlanRefusedException(RefusalCodes.PathThroughSymlink, $"'{path}' is a symbolic link to {target}, outside the repository. Commit the file itself, not a link out of the repository.");
                }

                using var linkText = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(target));
                entries.Add((path, repository.ObjectDatabase.CreateBlob(linkText), Mode.SymbolicLink));
            }
            else if (info.Exists)
            {
                using var content = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                entries.Add((path, CreateConvertedBlob(content, path), IsExecutable(info) ? Mode.ExecutableFile : Mode.NonExecutableFile));
            }
            else if (index[path] is not null)
            {
                index.Remove(path);
            }
        }

        // Deletions first: a file that takes the place of a deleted folder (or the reverse) then meets no entry in its way.
        foreach (var (path, blob, mode) in entries)
        {
            index.Add(blob, path, mode);
        }

        BenchTimings.Lap("step:blobs", ref lap);
        var tree = repository.ObjectDatabase.CreateTree(index);
        BenchTimings.Lap("step:write-tree", ref lap);

        // Only the step's paths can differ: compare those entries instead of walking two whole trees.
        var after = entries.ToDictionary(entry => entry.Path, entry => entry, StringComparer.Ordinal);
        written = entries.ToDictionary(entry => entry.Path, entry => (entry.Blob, entry.Mode), StringComparer.Ordinal);
        differences = [];
        foreach (var path in paths)
        {
            var oldEntry = before[path];
            var oldBlob = oldEntry is { } known ? repository.Lookup<Blob>(known.Id) : null;
            var (newBlob, newMode) = after.TryGetValue(path, out var added) ? (added.Blob, added.Mode) : (null, default);
            if (oldBlob is null && newBlob is not null)
            {
                differences.Add(new TreeDifference(path, FileChangeKind.Added, null, newBlob));
            }
            else if (oldBlob is not null && newBlob is null)
            {
                differences.Add(new TreeDifference(path, FileChangeKind.Deleted, oldBlob, null));
            }
            else if (oldBlob is not null && newBlob is not null && (oldBlob.Id != newBlob.Id || oldEntry!.Value.Mode != newMode))
            {
                differences.Add(new TreeDifference(path, FileChangeKind.Modified, oldBlob, newBlob));
            }
        }

        BenchTimings.Lap("step:diff", ref lap);
        return tree;
    }

    /// <summary>
    /// The blob <c>git add</c> would store: libgit2 applies the path's built-in conversions (the same code path as its
    /// own index add). External filter drivers are never run; <see cref="RefuseExternallyFiltered"/> keeps them out.
    /// </summary>
    private Blob CreateConvertedBlob(Stream content, string path)
    {
        try
        {
            return repository.ObjectDatabase.CreateBlob(content, path);
        }
        catch (LibGit2SharpException error)
        {
            throw new PlanRefusedException(
                RefusalCodes.ConversionFailed,
                $"git's line-ending conversion refused '{path}': {error.Message}. Fix the file's line endings (or its .gitattributes), then commit the step again; nothing was committed.");
        }
    }

    /// <summary>
    /// Refuses the whole step when any of its files needs a conversion only a program can make: a <c>filter=</c> driver
    /// (Git LFS stores a pointer, not the content) or <c>working-tree-encoding</c>, which libgit2 does not implement.
    /// Committing such a file unconverted would put into history what git never would.
    /// </summary>
    private void RefuseExternallyFiltered(IReadOnlyList<string> paths)
    {
        using var attributes = new GitAttributes(workingDirectory);
        var refused = new List<string>();
        foreach (var path in paths)
        {
            var full = Path.Combine(workingDirectory, path.Replace('/', Path.DirectorySeparatorChar));
            var info = new FileInfo(full);
            if (!info.Exists || info.LinkTarget is not null)
            {
                // Deletions and symbolic links store no filtered content.
                continue;
            }

            if (attributes.FilterDriver(path) is { } driver)
            {
                refused.Add($"{path} (filter={driver})");
            }
            else if (attributes.WorkingTreeEncoding(path) is { } encoding)
            {
                refused.Add($"{path} (working-tree-encoding={encoding})");
            }
        }

        if (refused.Count > 0)
        {
            throw new PlanRefusedException(
                RefusalCodes.ExternalFilter,
                $"commit_step cannot convert {string.Join(", ", refused)}: .gitattributes routes {(refused.Count == 1 ? "it" : "them")} through a conversion only git's own programs make, and committing the raw bytes would store what git never would. Nothing was committed. Commit {(refused.Count == 1 ? "that file" : "those files")} with git yourself (review_implementation will list the commit as made outside commit_step), and commit the step's other files with commit_step and an explicit paths list.");
        }
    }

    /// <summary>Every changed, untracked (not ignored) or deleted file outside the excluded folder.</summary>
    private List<string> ChangedOutside(string excludedFolder)
    {
        var status = repository.RetrieveStatus(new StatusOptions
        {
            IncludeUntracked = true,
            RecurseUntrackedDirs = true,
            IncludeIgnored = false,
            ExcludeSubmodules = true,
            DetectRenamesInIndex = false,
            DetectRenamesInWorkDir = false,
        });
        return status
            .Where(entry => entry.State != FileStatus.Unaltered && entry.State != FileStatus.Ignored)
            .Select(entry => entry.FilePath.Replace('\\', '/'))
            .Where(path => !RepoRelativePath.IsUnder(path, excludedFolder))
            .Where(path => !HasSymlinkParent(path))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Validates the caller's paths; a folder stands for the changed files below it.</summary>
    private List<string> Resolve(IReadOnlyList<string> requested, string excludedFolder, IReadOnlyList<string> protectedPaths)
    {
        if (requested.Count == 0)
        {
            throw new PlanRefusedException(RefusalCodes.InvalidArgument, "paths is an empty list. Omit it to commit every change outside the plans folder, or name the files.");
        }

        var resolved = new List<string>();
        List<string>? changed = null;
        var headTree = repository.Head.Tip?.Tree;
        foreach (var raw in requested)
        {
            if (!RepoRelativePath.TryNormalize(raw, out var path, out var error))
            {
                throw new PlanRefusedException(error.Contains(".git", StringComparison.Ordinal) ? RefusalCodes.PathInGitDir : RefusalCodes.PathOutsideRepository, error);
            }

            if (RepoRelativePath.IsUnder(path, excludedFolder))
            {
                throw new PlanRefusedException(RefusalCodes.PathInPlansRoot, $"'{raw}' is inside the plans folder {excludedFolder}, which step commits never include. Plans change only through the planner's write_plan.");
            }

            if (ProtectedBy(path, protectedPaths) is { } guarded)
            {
                throw new PlanRefusedException(
                    RefusalCodes.PathProtected,
                    $"'{raw}' is under {guarded}, the project's configuration or client settings, which step commits never include. The person commits those changes themselves.");
            }

            if (HasSymlinkParent(path))
            {
                throw new PlanRefusedException(RefusalCodes.PathThroughSymlink, $"'{raw}' is reached through a symbolic link. Name the file by its real path inside the repository.");
            }

            var full = Path.Combine(workingDirectory, path.Replace('/', Path.DirectorySeparatorChar));
            if (Directory.Exists(full) && new DirectoryInfo(full).LinkTarget is null)
            {
                changed ??= ChangedOutside(excludedFolder);
                resolved.AddRange(changed.Where(file => RepoRelativePath.IsUnder(file, path) && ProtectedBy(file, protectedPaths) is null));
                continue;
            }

            if (!File.Exists(full) && new FileInfo(full).LinkTarget is null && headTree?[path] is null)
            {
                throw new PlanRefusedException(RefusalCodes.PathNotFound, $"'{raw}' does not exist in the working tree or in HEAD. Check the spelling; paths are relative to the repository root.");
            }

            resolved.Add(path);
        }

        return resolved.Distinct(StringComparer.Ordinal).ToList();
    }

    private static string? ProtectedBy(string path, IReadOnlyList<string> protectedPaths) =>
        protectedPaths.FirstOrDefault(guarded => RepoRelativePath.IsUnder(path, guarded));

    private bool HasSymlinkParent(string path)
    {
        var current = workingDirectory;
        var parts = path.Split('/');
        for (var i = 0; i < parts.Length - 1; i++)
        {
            current = Path.Combine(current, parts[i]);
            var directory = new DirectoryInfo(current);
            if (directory.Exists && directory.LinkTarget is not null)
            {
                return true;
            }
        }

        return false;
    }

    private static void ValidateMessage(string message)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            throw new PlanRefusedException(RefusalCodes.InvalidArgument, "The commit message is empty. Say what the step changed, in one line.");
        }

        if (message.Split('\n').Any(line => TrailerParser.StartsLikeTrailer(line, "Plan-Id") || TrailerParser.StartsLikeTrailer(line, "Plan-Step")))
        {
            throw new PlanRefusedException(RefusalCodes.InvalidArgument, "Leave out Plan-Id: and Plan-Step: lines; the server adds these trailers itself.");
        }
    }

    private static string ComposeMessage(StepCommitRequest request)
    {
        var body = request.Message.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        var trailers = string.Join('\n', request.Trailers.Select(pair => $"{pair.Key}: {pair.Value}"));
        return trailers.Length == 0 ? body + "\n" : $"{body}\n\n{trailers}\n";
    }

    private static string Subject(string message) => message.Split('\n')[0];

    private static PlanRefusedException HeadMoved(string? expected, string? actual) =>
        new(RefusalCodes.HeadMoved, $"HEAD moved while committing (expected {Short(expected)}, now {Short(actual)}): another process committed. Nothing was committed; call commit_step again to build on the new HEAD.");

    private static string Short(string? sha) => sha is null ? "no commit" : sha[..Math.Min(12, sha.Length)];

    private static bool IsExecutable(FileInfo file) =>
        !OperatingSystem.IsWindows() && (file.UnixFileMode & UnixFileMode.UserExecute) != 0;

    private sealed record PreparedTree(Tree Tree, IReadOnlyList<string> Paths, IReadOnlyDictionary<string, (Blob Blob, Mode Mode)> Written);
}
