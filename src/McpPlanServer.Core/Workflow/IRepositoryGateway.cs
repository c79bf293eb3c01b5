using McpPlanServer.Core.Evidence;

namespace McpPlanServer.Core.Workflow;

/// <summary>The repository as the workflow needs it: implemented over git by an adapter. Refusals are
/// <see cref="PlanRefusedException"/>s that leave HEAD, index and working tree as they were.</summary>
public interface IRepositoryGateway
{
    /// <summary>The commit HEAD points at; null for an unborn branch or no repository.</summary>
    string? HeadSha { get; }

    /// <summary>The branch HEAD is on (its short name); null when HEAD is detached or there is no repository.</summary>
    string? CurrentBranch { get; }

    /// <summary>Where a plan's commits are read when HEAD here is not on them: the worktree that has
    /// <paramref name="branch"/> checked out (or a read-only view of that branch), or another worktree whose HEAD holds
    /// <paramref name="lastStepSha"/>. Null: read them here.</summary>
    IRepositoryGateway? PlanView(string branch, string? lastStepSha);

    /// <summary>The working directory of the worktree that has <paramref name="branch"/> checked out; null when none has.</summary>
    string? WorktreeOf(string branch);

    /// <summary>True when the local branch exists.</summary>
    bool HasBranch(string branch);

    /// <summary>
    /// Starts <paramref name="branch"/> at <paramref name="baseSha"/> unless it exists, and gives it a worktree: this one when
    /// it is on the branch, the one that has it, this linked worktree (switched, when clean), or a new one named
    /// <paramref name="folder"/> under the main worktree's <c>.claude/worktrees/</c>. A refusal removes a branch it created.
    /// </summary>
    PlanWorktree PlacePlanBranch(string branch, string baseSha, string folder);

    /// <summary>Removes the worktree <paramref name="folder"/> under <c>.claude/worktrees/</c> when it has
    /// <paramref name="branch"/> checked out and nothing uncommitted; null when there is no such folder.</summary>
    PlanWorktreeRemoval? RemovePlanWorktree(string branch, string folder);

    /// <summary>Checks everything a step commit needs (repository state, paths) and computes its changes, writing nothing.</summary>
    PreparedCommit Prepare(StepCommitRequest request);

    /// <summary>Writes a prepared commit; refuses with <c>head_moved</c> if HEAD changed since <see cref="Prepare"/>.</summary>
    CommittedStep Commit(PreparedCommit prepared);

    /// <summary>First-parent commits after <paramref name="baseSha"/> up to HEAD, oldest first, without their files
    /// (listing files means walking trees; <see cref="WithFiles"/> adds them for the few commits that need them).</summary>
    IReadOnlyList<CommitFacts> CommitsSince(string? baseSha, int limit);

    /// <summary>The same commit with the files it changed and their line counts.</summary>
    CommitFacts WithFiles(CommitFacts commit);

    DiffPage CommitDiff(string sha, int offset, int maxBytes);

    IReadOnlyList<WorkingChange> UncommittedChanges(string excludedFolder);

    /// <summary>For each recorded step commit: does it exist, is it reachable from HEAD, which of its paths did a later
    /// commit put back to the content before the step.</summary>
    IReadOnlyList<StepCommitPresence> Presence(IReadOnlyList<StepCommitProbe> probes);

    /// <summary>Commits the plan's acceptance test files (their exact bytes) on HEAD's branch with the given trailers and
    /// brings index and working tree in line for them; null when HEAD already holds exactly these files.</summary>
    string? CommitAcceptance(IReadOnlyList<Records.AcceptanceFile> files, string message, IReadOnlyList<KeyValuePair<string, string>> trailers);

    /// <summary>The committed bytes of <paramref name="path"/> at <paramref name="commitSha"/>; null when it is not there.</summary>
    byte[]? ReadCommittedFile(string commitSha, string path);

    /// <summary>Writes the tree of <paramref name="commitSha"/> into the empty folder <paramref name="destination"/>: the
    /// exact committed bytes and modes, nothing from the working tree or the index.</summary>
    void ExportTree(string commitSha, string destination);
}
