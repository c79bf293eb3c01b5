using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Tests.Git;

/// <summary>Every refusal of a step commit names its reason and leaves HEAD, index, working tree and locks alone.</summary>
public sealed class StepCommitRefusalTests : IDisposable
{
    private readonly TemporaryGitRepository repository = new();

    [Theory]
    [InlineData("index.lock")]
    [InlineData("HEAD.lock")]
    [InlineData("refs/heads/main.lock")]
    public void A_held_lock_is_refused_as_repository_busy_and_the_lock_is_kept(string lockFile)
    {
        repository.Write("step.txt", "step\n");
        var held = repository.HoldLock(lockFile);

        AssertRefused("repository_busy", () => repository.CommitStep("Add step", "step.txt"), held);
    }

    [Fact]
    public void A_lock_taken_between_prepare_and_commit_is_refused_as_repository_busy()
    {
        repository.Write("step.txt", "step\n");
        var prepared = repository.Gateway.Prepare(TemporaryGitRepository.Request("Add step", "step.txt"));
        var held = repository.HoldLock("index.lock");

        AssertRefused("repository_busy", () => repository.Gateway.Commit(prepared), held);
    }

    [Fact]
    public void A_detached_head_is_refused()
    {
        repository.Git("checkout", "-q", "--detach");
        repository.Write("step.txt", "step\n");

        AssertRefused("detached_head", () => repository.CommitStep("Add step", "step.txt"));
    }

    [Fact]
    public void A_conflicting_merge_in_progress_is_refused()
    {
        CreateConflictingBranches();
        var (exit, _, _) = repository.TryGit("merge", "-q", "other");
        Assert.NotEqual(0, exit);
        Assert.True(File.Exists(repository.Path(".git/MERGE_HEAD")));
        repository.Write("step.txt", "step\n");

        AssertRefused("operation_in_progress", () => repository.CommitStep("Add step", "step.txt"));
    }

    [Fact]
    public void A_conflicting_rebase_in_progress_is_refused_as_an_operation_not_as_a_detached_head()
    {
        CreateConflictingBranches();
        var (exit, _, _) = repository.TryGit("rebase", "other");
        Assert.NotEqual(0, exit);
        Assert.True(Directory.Exists(repository.Path(".git/rebase-merge")) || Directory.Exists(repository.Path(".git/rebase-apply")));
        repository.Write("step.txt", "step\n");

        var refusal = AssertRefused("operation_in_progress", () => repository.CommitStep("Add step", "step.txt"));
        Assert.Contains("rebase", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_conflicting_cherry_pick_in_progress_is_refused()
    {
        CreateConflictingBranches();
        var (exit, _, _) = repository.TryGit("cherry-pick", "other");
        Assert.NotEqual(0, exit);
        Assert.True(File.Exists(repository.Path(".git/CHERRY_PICK_HEAD")));
        repository.Write("step.txt", "step\n");

        var refusal = AssertRefused("operation_in_progress", () => repository.CommitStep("Add step", "step.txt"));
        Assert.Contains("cherry-pick", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unchanged_path_is_refused_as_nothing_to_commit() =>
        AssertRefused("nothing_to_commit", () => repository.CommitStep("Touch readme", "README.md"));

    [Fact]
    public void A_clean_tree_without_paths_is_refused_as_nothing_to_commit() =>
        AssertRefused("nothing_to_commit", () => repository.CommitStep("Anything", null));

    [Fact]
    public void Changes_only_in_the_plans_folder_are_refused_as_nothing_to_commit()
    {
        repository.Write(".claude/plans/Active/p.md", "# Plan\n");

        AssertRefused("nothing_to_commit", () => repository.CommitStep("Anything", null));
    }

    [Theory]
    [InlineData("../x", "path_outside_repository")]
    [InlineData("/etc/passwd", "path_outside_repository")]
    [InlineData(".git/config", "path_in_git_dir")]
    [InlineData(".claude/plans/Review/x.md", "path_in_plans_root")]
    [InlineData(".claude/plans", "path_in_plans_root")]
    [InlineData("missing.txt", "path_not_found")]
    public void A_bad_path_is_refused(string path, string code)
    {
        repository.Write(".claude/plans/Review/x.md", "# Plan\n");
        repository.Write("step.txt", "step\n");

        AssertRefused(code, () => repository.CommitStep("Add step", "step.txt", path));
    }

    [Fact]
    public void A_path_through_a_symlinked_directory_is_refused()
    {
        repository.Write("real/a.txt", "a\n");
        File.CreateSymbolicLink(repository.Path("linkdir"), "real");

        AssertRefused("path_through_symlink", () => repository.CommitStep("Add a", "linkdir/a.txt"));
    }

    [Fact]
    public void A_symlink_to_a_file_outside_the_repository_is_refused()
    {
        File.WriteAllText(Path.Join(repository.Outer, "secret.txt"), "secret\n");
        File.CreateSymbolicLink(repository.Path("leak.txt"), Path.Join(repository.Outer, "secret.txt"));

        AssertRefused("path_through_symlink", () => repository.CommitStep("Add leak", "leak.txt"));
    }

    [Fact]
    public void An_empty_list_of_paths_is_refused_as_invalid() =>
        AssertRefused("invalid_argument", () => repository.Gateway.Prepare(TemporaryGitRepository.Request("Add step", [])));

    [Theory]
    [InlineData("")]
    [InlineData("   \n  ")]
    public void An_empty_message_is_refused(string message)
    {
        repository.Write("step.txt", "step\n");

        AssertRefused("invalid_argument", () => repository.CommitStep(message, "step.txt"));
    }

    [Theory]
    [InlineData("Add step\n\nPlan-Id: other-plan")]
    [InlineData("Add step\n\nplan-step: 7")]
    public void A_message_with_its_own_plan_trailer_is_refused(string message)
    {
        repository.Write("step.txt", "step\n");

        AssertRefused("invalid_argument", () => repository.CommitStep(message, "step.txt"));
    }

    [Fact]
    public void A_directory_that_is_not_a_repository_is_refused()
    {
        var plain = Directory.CreateDirectory(Path.Join(repository.Outer, "plain")).FullName;
        var gateway = new McpPlanServer.Git.GitRepositoryGateway(plain);

        Assert.Null(gateway.HeadSha);
        var refusal = Assert.Throws<PlanRefusedException>(() => gateway.Prepare(TemporaryGitRepository.Request("x", "a.txt")));
        Assert.Equal("not_a_repository", refusal.Code);
        Assert.Empty(Directory.EnumerateFileSystemEntries(plain));
    }

    public void Dispose() => repository.Dispose();

    /// <summary>Two branches changing the same line of one file, with main checked out.</summary>
    private void CreateConflictingBranches()
    {
        repository.CommitWithCli("shared.txt", "one\n", "add shared");
        repository.Git("checkout", "-q", "-b", "other");
        repository.CommitWithCli("shared.txt", "other\n", "other edit");
        repository.Git("checkout", "-q", "main");
        repository.CommitWithCli("shared.txt", "main\n", "main edit");
    }

    private PlanRefusedException AssertRefused(string code, Action attempt, params string[] locks)
    {
        var before = RepositorySnapshot.Take(repository, locks);
        var refusal = Assert.Throws<PlanRefusedException>(attempt);
        Assert.Equal(code, refusal.Code);
        Assert.False(string.IsNullOrWhiteSpace(refusal.Message));
        before.AssertUnchanged(repository);
        return refusal;
    }
}
