using System.Text;
using LibGit2Sharp;
using McpPlanServer.Core.Diagnostics;
using McpPlanServer.Core.Evidence;
using McpPlanServer.Core.Paths;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Git;

/// <summary>
/// The workflow's view of the repository over LibGit2Sharp. It opens the repository per call: the other role's
/// process and the person commit too, so nothing about HEAD may be cached. Never runs hooks or external filter programs.
/// </summary>
public sealed class GitRepositoryGateway(string repositoryRoot, IFaultPoints? faults = null) : IRepositoryGateway
{
    private readonly IFaultPoints faults = faults ?? NoFaultPoints.Instance;

    /// <summary>A read view: this branch's tip stands for HEAD in <see cref="HeadSha"/>, <see cref="CommitsSince"/> and
    /// <see cref="Presence"/> (a plan's branch read from a worktree that is on another one).</summary>
    private string? ReadBranch { get; init; }

    private Commit? Tip(Repository repository) => ReadBranch is null ? repository.Head.Tip : repository.Branches[ReadBranch]?.Tip;

    public string? HeadSha
    {
        get
        {
            if (!Repository.IsValid(repositoryRoot))
            {
                return null;
            }

            GitObjectCache.Ensure();
            using var repository = new Repository(repositoryRoot);
            return Tip(repository)?.Sha;
        }
    }

    public string? CurrentBranch
    {
        get
        {
            if (!Repository.IsValid(repositoryRoot))
            {
                return null;
            }

            GitObjectCache.Ensure();
            using var repository = new Repository(repositoryRoot);
            return repository.Info.IsHeadDetached || repository.Head.Tip is null ? null : repository.Head.FriendlyName;
        }
    }

    public bool HasBranch(string branch)
    {
        using var repository = Open();
        return repository.Branches[branch] is { IsRemote: false };
    }

    public string? WorktreeOf(string branch)
    {
        using var repository = Open();
        return WorktreeMap.WorktreeOf(repository, branch);
    }

    public IRepositoryGateway? PlanView(string branch, string? lastStepSha)
    {
        using var repository = Open();
        var head = repository.Head.Tip;
        var onBranch = !repository.Info.IsHeadDetached && string.Equals(repository.Head.FriendlyName, branch, StringComparison.Ordinal);
        var last = lastStepSha is null ? null : repository.Lookup<Commit>(lastStepSha);
        if (repository.Branches[branch] is { IsRemote: false, Tip: { } local })
        {
            // A local branch that holds the plan's commits wins; one that lacks them (a builder pushed from another
            // clone) gives way to the fetched remote-tracking branch that has them.
            return last is not null && !Holds(repository, local, last) && FetchedView(repository, branch, last) is { } fetched
                ? fetched
                : onBranch ? null : ViewOf(repository, branch);
        }

        if (last is null || Holds(repository, head, last))
        {
            return null;
        }

        // A builder's own worktree (claude -w NAME) without a plan branch: the worktree whose HEAD holds the last step.
        foreach (var (path, worktreeBranch) in WorktreeMap.All(repository))
        {
            if (worktreeBranch is not null && repository.Branches[worktreeBranch]?.Tip is { } tip && Holds(repository, tip, last) && Repository.IsValid(path))
            {
                return new GitRepositoryGateway(path, faults);
            }
        }

        return FetchedView(repository, branch, last);
    }

    /// <summary>
    /// The plan's branch as last fetched from a remote (<c>refs/remotes/&lt;remote&gt;/plan/&lt;id&gt;</c>) when its tip
    /// holds the last step commit: the builders committed on other clones and pushed. Read only: no local branch,
    /// HEAD or working tree moves.
    /// </summary>
    private GitRepositoryGateway? FetchedView(Repository repository, string branch, Commit last) =>
        repository.Network.Remotes
            .Select(remote => repository.Branches[$"refs/remotes/{remote.Name}/{branch}"])
            .Where(tracking => tracking is not null && Holds(repository, tracking.Tip, last))
            .Select(tracking => new GitRepositoryGateway(repositoryRoot, faults) { ReadBranch = tracking!.CanonicalName })
            .FirstOrDefault();

    private GitRepositoryGateway ViewOf(Repository repository, string branch) =>
        WorktreeMap.WorktreeOf(repository, branch) is { } path && Repository.IsValid(path)
            ? new GitRepositoryGateway(path, faults)
            : new GitRepositoryGateway(repositoryRoot, faults) { ReadBranch = branch };

    private static bool Holds(Repository repository, Commit? tip, Commit commit) =>
        tip is not null && (tip.Id == commit.Id || repository.ObjectDatabase.FindMergeBase(commit, tip)?.Id == commit.Id);

    public PlanWorktree PlacePlanBranch(string branch, string baseSha, string folder)
    {
        using var repository = Open();
        try
        {
            return PlanBranchPlacer.Place(repository, WorkingDirectory(repository), branch, baseSha, folder);
        }
        catch (LibGit2SharpException error)
        {
            throw new PlanRefusedException(RefusalCodes.WorktreeFailed, $"git could not set up {branch} ({error.Message}). Check git status and git worktree list, then claim again.");
        }
    }

    public PlanWorktreeRemoval? RemovePlanWorktree(string branch, string folder)
    {
        using var repository = Open();
        try
        {
            return PlanBranchPlacer.Remove(repository, branch, folder);
        }
        catch (Exception error) when (error is LibGit2SharpException or IOException or UnauthorizedAccessException)
        {
            return new PlanWorktreeRemoval($"{PlanBranchPlacer.WorktreesFolder}/{folder}", $"it could not be removed ({error.Message})");
        }
    }

    public PreparedCommit Prepare(StepCommitRequest request)
    {
        var lap = System.Diagnostics.Stopwatch.GetTimestamp();
        using var repository = Open();
        BenchTimings.Lap("step:open", ref lap);
        return new StepCommitter(repository, WorkingDirectory(repository), faults).Prepare(request);
    }

    public CommittedStep Commit(PreparedCommit prepared)
    {
        // The prepared tree lives in the object database, so a fresh handle on the repository can commit it.
        var lap = System.Diagnostics.Stopwatch.GetTimestamp();
        using var repository = Open();
        BenchTimings.Lap("step:open-again", ref lap);
        return new StepCommitter(repository, WorkingDirectory(repository), faults).Commit(prepared);
    }

    public string? CommitAcceptance(IReadOnlyList<Core.Records.AcceptanceFile> files, string message, IReadOnlyList<KeyValuePair<string, string>> trailers)
    {
        using var repository = Open();
        return new AcceptanceCommitter(repository, WorkingDirectory(repository)).Commit(files, message, trailers);
    }

    public byte[]? ReadCommittedFile(string commitSha, string path)
    {
        using var repository = Open();
        return repository.Lookup<Commit>(commitSha)?[path]?.Target is Blob blob ? ReadBlob(blob) : null;
    }

    private static byte[] ReadBlob(Blob blob)
    {
        using var stream = blob.GetContentStream();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public IReadOnlyList<CommitFacts> CommitsSince(string? baseSha, int limit)
    {
        using var repository = Open();
        var head = Tip(repository);
        if (head is null)
        {
            return [];
        }

        var filter = new CommitFilter
        {
            IncludeReachableFrom = head,
            SortBy = CommitSortStrategies.Topological | CommitSortStrategies.Reverse,
            FirstParentOnly = true,
        };
        if (baseSha is not null && repository.Lookup<Commit>(baseSha) is { } baseCommit)
        {
            filter.ExcludeReachableFrom = baseCommit;
        }

        return repository.Commits.QueryBy(filter).TakeLast(limit).Select(commit => Facts(commit, includeFiles: false)).ToList();
    }

    public CommitFacts WithFiles(CommitFacts commit)
    {
        using var repository = Open();
        return repository.Lookup<Commit>(commit.Sha) is { } found ? Facts(found, includeFiles: true) : commit;
    }

    public DiffPage CommitDiff(string sha, int offset, int maxBytes)
    {
        using var repository = Open();
        var commit = repository.Lookup<Commit>(sha)
            ?? throw new PlanRefusedException(RefusalCodes.CommitNotFound, $"There is no commit {sha} in this repository. Use a sha listed by review_implementation.");
        var text = new StringBuilder();
        foreach (var difference in TreeComparer.Compare(commit.Parents.FirstOrDefault()?.Tree, commit.Tree))
        {
            var (oldText, oldBinary) = difference.Old is { } oldBlob ? BlobText.Read(oldBlob) : (string.Empty, false);
            var (newText, newBinary) = difference.New is { } newBlob ? BlobText.Read(newBlob) : (string.Empty, false);
            if (oldBinary || newBinary)
            {
                text.Append($"diff --git a/{difference.Path} b/{difference.Path}\nBinary files differ\n");
                continue;
            }

            LineDiff.AppendUnified(text, difference.Path, LineDiff.Lines(oldText), LineDiff.Lines(newText),
                difference.Kind == FileChangeKind.Added, difference.Kind == FileChangeKind.Deleted);
        }

        var total = text.Length;
        var start = Math.Clamp(offset, 0, total);
        if (start > 0 && start < total && char.IsLowSurrogate(text[start]))
        {
            start--;
        }

        var length = Math.Min(maxBytes, total - start);
        if (length > 0 && start + length < total && char.IsHighSurrogate(text[start + length - 1]))
        {
            // Never split a character outside the basic plane across pages: each page must be valid text on its own.
            length += length == 1 ? 1 : -1;
        }

        var next = start + length < total ? start + length : (int?)null;
        return new DiffPage(commit.Sha, text.ToString(start, length), start, total, next);
    }

    public IReadOnlyList<WorkingChange> UncommittedChanges(string excludedFolder)
    {
        using var repository = Open();
        var status = repository.RetrieveStatus(new StatusOptions
        {
            IncludeUntracked = true,
            RecurseUntrackedDirs = true,
            IncludeIgnored = false,
            ExcludeSubmodules = true,
            DetectRenamesInIndex = false,
            DetectRenamesInWorkDir = false,
        });
        using var attributes = new GitAttributes(WorkingDirectory(repository));
        return status
            .Where(entry => entry.State is not FileStatus.Unaltered and not FileStatus.Ignored)
            .Where(entry => !RepoRelativePath.IsUnder(entry.FilePath.Replace('\\', '/'), excludedFolder))
            .Select(entry =>
            {
                var path = entry.FilePath.Replace('\\', '/');
                var conversion = attributes.FilterDriver(path) is { } driver ? "filter=" + driver
                    : attributes.WorkingTreeEncoding(path) is { } encoding ? "working-tree-encoding=" + encoding
                    : null;
                return new WorkingChange(path, State(entry.State), Staged(entry.State), conversion);
            })
            .ToList();
    }

    public IReadOnlyList<StepCommitPresence> Presence(IReadOnlyList<StepCommitProbe> probes)
    {
        var lap = System.Diagnostics.Stopwatch.GetTimestamp();
        using var repository = Open();
        var head = Tip(repository);
        BenchTimings.Lap("read:presence-open", ref lap);
        try
        {
            var presence = PresenceIn(repository, head, probes);
            BenchTimings.Lap("read:presence", ref lap);
            return presence;
        }
        catch (LibGit2SharpException error)
        {
            throw new PlanRefusedException(RefusalCodes.GitUnreadable, $"The repository could not be read ({error.Message}). Check it with `git fsck`.");
        }
    }

    private static List<StepCommitPresence> PresenceIn(Repository repository, Commit? head, IReadOnlyList<StepCommitProbe> probes)
    {
        // Each lookup by path reads and parses the folder's whole tree object; consecutive step commits share trees (one's
        // tree is the next one's parent's) and every tree stays what it is, so each (tree, path) is asked of git once per
        // process (TreePathMemo), and libgit2 keeps the trees it parses for this handle (GitObjectCache).
        return probes.Select(probe =>
        {
            if (repository.Lookup<Commit>(probe.Sha) is not { } commit)
            {
                return new StepCommitPresence(probe.Sha, false, false, []);
            }

            var onBranch = head is not null && (head.Id == commit.Id || repository.ObjectDatabase.FindMergeBase(commit, head)?.Id == commit.Id);
            if (!onBranch)
            {
                return new StepCommitPresence(probe.Sha, true, false, []);
            }

            var parentTree = commit.Parents.FirstOrDefault()?.Tree;
            var reverted = probe.Paths
                .Where(path => TreePathMemo.EntryAt(commit.Tree, path) != TreePathMemo.EntryAt(parentTree, path) && TreePathMemo.EntryAt(head!.Tree, path) == TreePathMemo.EntryAt(parentTree, path))
                .ToList();
            return new StepCommitPresence(probe.Sha, true, true, reverted);
        }).ToList();
    }

    public void ExportTree(string commitSha, string destination)
    {
        using var repository = Open();
        var commit = repository.Lookup<Commit>(commitSha)
            ?? throw new PlanRefusedException(RefusalCodes.CommitNotFound, $"There is no commit {commitSha} in this repository.");
        TreeExporter.Export(commit.Tree, destination);
    }

    private static CommitFacts Facts(Commit commit, bool includeFiles)
    {
        var files = includeFiles
            ? TreeComparer.Compare(commit.Parents.FirstOrDefault()?.Tree, commit.Tree).Select(ChangeStatistics.Describe).ToList()
            : [];
        return new CommitFacts(
            commit.Sha,
            commit.MessageShort,
            commit.Message,
            $"{commit.Author.Name} <{commit.Author.Email}>",
            commit.Author.When,
            TrailerParser.Parse(commit.Message),
            files)
        {
            TreeId = commit.Tree.Sha,
            ParentSha = commit.Parents.FirstOrDefault()?.Sha,
        };
    }

    private static string State(FileStatus state) =>
        state.HasFlag(FileStatus.Conflicted) ? "conflicted"
        : state.HasFlag(FileStatus.NewInWorkdir) ? "untracked"
        : state.HasFlag(FileStatus.NewInIndex) ? "added"
        : state.HasFlag(FileStatus.DeletedFromIndex) || state.HasFlag(FileStatus.DeletedFromWorkdir) ? "deleted"
        : state.HasFlag(FileStatus.RenamedInIndex) || state.HasFlag(FileStatus.RenamedInWorkdir) ? "renamed"
        : "modified";

    private static bool Staged(FileStatus state) =>
        (state & (FileStatus.NewInIndex | FileStatus.ModifiedInIndex | FileStatus.DeletedFromIndex | FileStatus.RenamedInIndex | FileStatus.TypeChangeInIndex)) != 0;

    private Repository Open()
    {
        // Repository.Discover returns null under Native AOT; the CLI already located the repository root, so open it directly.
        if (!Repository.IsValid(repositoryRoot))
        {
            throw new PlanRefusedException(RefusalCodes.NotARepository, $"{repositoryRoot} is not a git repository. Run `git init` there (and commit once) before committing steps.");
        }

        GitObjectCache.Ensure();
        return new Repository(repositoryRoot);
    }

    private static string WorkingDirectory(Repository repository) =>
        repository.Info.WorkingDirectory?.TrimEnd(Path.DirectorySeparatorChar)
        ?? throw new PlanRefusedException(RefusalCodes.BareRepository, "The repository is bare (no working tree); step commits need a working tree.");
}
