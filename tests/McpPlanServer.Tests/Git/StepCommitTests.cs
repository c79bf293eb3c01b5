using System.Text;
using McpPlanServer.Core.Evidence;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Tests.Git;

/// <summary>Step commits through LibGit2Sharp, read back with the git CLI.</summary>
public sealed class StepCommitTests : IDisposable
{
    private readonly TemporaryGitRepository repository = new();

    [Fact]
    public void A_step_commit_carries_the_plan_trailers_and_the_configured_author()
    {
        var parent = repository.Head();
        repository.Write("step.txt", "step\n");

        var committed = repository.CommitStep("Add the step file", "step.txt");

        Assert.Equal(repository.Head(), committed.Sha);
        Assert.Equal(parent, committed.ParentSha);
        Assert.Equal("Add the step file\n\nPlan-Id: add-widget\nPlan-Step: 1\n", repository.Git("log", "-1", "--format=%B").TrimEnd('\n') + "\n");
        var trailers = repository.Git("log", "-1", "--format=%(trailers:only,unfold)").Trim();
        Assert.Equal("Plan-Id: add-widget\nPlan-Step: 1", trailers);
        Assert.Equal("Test Author <author@example.test>", repository.Git("log", "-1", "--format=%an <%ae>").Trim());
        Assert.Equal("Test Author <author@example.test>", repository.Git("log", "-1", "--format=%cn <%ce>").Trim());
        Assert.Equal("step.txt", repository.Git("show", "--name-only", "--format=", "HEAD").Trim());
        var file = Assert.Single(committed.Files);
        Assert.Equal(new FileChange("step.txt", FileChangeKind.Added, 1, 0, false), file);
        Assert.Equal("refs/heads/main", repository.Git("symbolic-ref", "HEAD").Trim());
    }

    [Fact]
    public void A_step_commit_leaves_the_committed_file_clean_in_git_status()
    {
        repository.Write("step.txt", "step\n");

        repository.CommitStep("Add the step file", "step.txt");

        Assert.Equal(string.Empty, repository.Git("status", "--porcelain"));
    }

    [Fact]
    public void The_first_commit_on_an_unborn_branch_has_no_parent_and_creates_the_branch()
    {
        using var unborn = new TemporaryGitRepository(initialCommit: false);
        unborn.Write("first.txt", "first\n");
        Assert.Null(unborn.Gateway.HeadSha);

        var committed = unborn.CommitStep("First step", "first.txt");

        Assert.Null(committed.ParentSha);
        Assert.Equal(committed.Sha, unborn.Git("rev-parse", "refs/heads/main").Trim());
        Assert.Equal(committed.Sha, unborn.Gateway.HeadSha);
        Assert.Equal(string.Empty, unborn.Git("log", "-1", "--format=%P").Trim());
        Assert.Equal("first.txt", unborn.Git("ls-tree", "--name-only", "HEAD").Trim());
    }

    [Fact]
    public void Hooks_never_run()
    {
        var hookMarker = Path.Join(repository.Outer, "hook-ran");
        foreach (var hook in new[] { "pre-commit", "prepare-commit-msg", "commit-msg", "post-commit", "reference-transaction" })
        {
            repository.Write(".git/hooks/" + hook, $"#!/bin/sh\ntouch '{hookMarker}'\n");
            repository.MakeExecutable(".git/hooks/" + hook);
        }

        repository.Write("step.txt", "step\n");

        repository.CommitStep("Add the step file", "step.txt");

        Assert.False(File.Exists(hookMarker), "a hook ran");
        Assert.Equal("step\n", repository.Git("cat-file", "blob", "HEAD:step.txt"));
    }

    [Fact]
    public void Only_the_step_paths_are_committed_and_other_staged_and_unstaged_changes_stay_as_they_were()
    {
        repository.CommitWithCli("unstaged.txt", "before\n", "add unstaged");
        repository.Write("other.txt", "staged content\n");
        repository.Git("add", "other.txt");
        repository.Write("unstaged.txt", "after\n");
        repository.Write("step.txt", "step\n");

        repository.CommitStep("Add the step file", "step.txt");

        Assert.Equal("step.txt", repository.Git("show", "--name-only", "--format=", "HEAD").Trim());
        Assert.Equal("other.txt", repository.Git("diff", "--cached", "--name-only").Trim());
        Assert.Equal("staged content\n", repository.Git("show", ":other.txt"));
        Assert.Equal("unstaged.txt", repository.Git("diff", "--name-only").Trim());
        Assert.Equal("before\n", repository.Git("show", ":unstaged.txt"));
        Assert.Equal("after\n", File.ReadAllText(repository.Path("unstaged.txt")));
    }

    [Fact]
    public void Without_paths_every_change_outside_the_plans_folder_is_committed()
    {
        repository.Write("a.txt", "a\n");
        repository.Write("src/b.txt", "b\n");
        repository.Write(".claude/plans/Active/p.md", "# Plan\n");

        var committed = repository.CommitStep("Add both", null);

        Assert.Equal(["a.txt", "src/b.txt"], committed.Files.Select(file => file.Path).Order(StringComparer.Ordinal));
        Assert.Equal("a.txt\nsrc/b.txt", repository.Git("show", "--name-only", "--format=", "HEAD").Trim());
        Assert.Contains(".claude/", repository.Git("status", "--porcelain", "--untracked-files=all"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_commit_by_another_process_between_two_steps_is_kept_and_becomes_the_parent_of_the_next_step()
    {
        repository.Write("one.txt", "one\n");
        repository.CommitStep("Step one", "one.txt");
        var foreign = repository.CommitWithCli("foreign.txt", "foreign\n", "Foreign commit");
        repository.Write("two.txt", "two\n");

        var second = repository.CommitStep("Step two", "two.txt");

        Assert.Equal(["Step two", "Foreign commit", "Step one", "initial"], repository.Git("log", "--format=%s").TrimEnd().Split('\n'));
        Assert.Equal(foreign, second.ParentSha);
        Assert.Equal(foreign, repository.Git("rev-parse", "HEAD^").Trim());
        Assert.Equal("README.md\nforeign.txt\none.txt\ntwo.txt", string.Join('\n', repository.Git("ls-tree", "--name-only", "HEAD").Trim().Split('\n').Order(StringComparer.Ordinal)));
    }

    [Fact]
    public void A_commit_made_between_prepare_and_commit_is_refused_as_head_moved_and_changes_nothing()
    {
        repository.Write("step.txt", "step\n");
        var prepared = repository.Gateway.Prepare(TemporaryGitRepository.Request("Add the step file", "step.txt"));
        var foreign = repository.CommitWithCli("foreign.txt", "foreign\n", "Foreign commit");
        var before = RepositorySnapshot.Take(repository);

        var refusal = Assert.Throws<PlanRefusedException>(() => repository.Gateway.Commit(prepared));

        Assert.Equal("head_moved", refusal.Code);
        Assert.Equal(foreign, repository.Head());
        before.AssertUnchanged(repository);
        Assert.Equal("?? step.txt", repository.Git("status", "--porcelain").Trim());
    }

    [Fact]
    public void A_deleted_tracked_file_is_committed_as_a_deletion()
    {
        repository.CommitWithCli("gone.txt", "one\ntwo\n", "add gone");
        File.Delete(repository.Path("gone.txt"));

        var committed = repository.CommitStep("Remove gone", "gone.txt");

        Assert.Equal(new FileChange("gone.txt", FileChangeKind.Deleted, 0, 2, false), Assert.Single(committed.Files));
        Assert.Equal("README.md", repository.Git("ls-tree", "--name-only", "HEAD").Trim());
        Assert.Equal("D\tgone.txt", repository.Git("show", "--name-status", "--format=", "HEAD").Trim());
        Assert.Equal(string.Empty, repository.Git("status", "--porcelain"));
    }

    [Fact]
    public void The_executable_bit_is_kept()
    {
        repository.Write("run.sh", "#!/bin/sh\necho hi\n");
        repository.MakeExecutable("run.sh");
        repository.Write("plain.txt", "plain\n");

        repository.CommitStep("Add script", "run.sh", "plain.txt");

        var tree = repository.Git("ls-tree", "HEAD").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("100755 blob", Assert.Single(tree, line => line.EndsWith("\trun.sh", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.StartsWith("100644 blob", Assert.Single(tree, line => line.EndsWith("\tplain.txt", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_path_commits_the_changed_files_under_it_and_nothing_else()
    {
        repository.CommitWithCli("src/a.txt", "a\n", "add a");
        repository.CommitWithCli("src/untouched.txt", "u\n", "add untouched");
        repository.Write("src/a.txt", "a changed\n");
        repository.Write("src/deep/b.txt", "b\n");
        repository.Write("srcfile.txt", "not under src/\n");
        repository.Write("outside.txt", "outside\n");

        var committed = repository.CommitStep("Change src", "src");

        Assert.Equal(["src/a.txt", "src/deep/b.txt"], committed.Files.Select(file => file.Path).Order(StringComparer.Ordinal));
        Assert.Equal("M\tsrc/a.txt\nA\tsrc/deep/b.txt", repository.Git("show", "--name-status", "--format=", "HEAD").Trim());
        Assert.Equal("?? outside.txt\n?? srcfile.txt", repository.Git("status", "--porcelain").Trim());
    }

    [Fact]
    public void A_symlink_inside_the_repository_is_committed_as_a_link()
    {
        repository.Write("target.txt", "t\n");
        File.CreateSymbolicLink(repository.Path("alias.txt"), "target.txt");

        repository.CommitStep("Add alias", "alias.txt", "target.txt");

        var line = Assert.Single(repository.Git("ls-tree", "HEAD").Split('\n'), entry => entry.EndsWith("\talias.txt", StringComparison.Ordinal));
        Assert.StartsWith("120000 blob", line, StringComparison.Ordinal);
        Assert.Equal("target.txt", repository.Git("cat-file", "blob", "HEAD:alias.txt"));
    }

    public void Dispose() => repository.Dispose();
}
