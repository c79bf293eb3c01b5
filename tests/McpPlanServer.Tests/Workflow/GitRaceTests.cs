using System.Diagnostics;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Tests.Storage;

namespace McpPlanServer.Tests.Workflow;

/// <summary>
/// Git and the records never silently disagree: a real second git process holding index.lock while commit_step moves
/// the branch, then committing from its stale index; and a plans root that fills up right after the git commit.
/// </summary>
public sealed class GitRaceTests : IDisposable
{
    private readonly WorkflowRepository repository = new();

    [Fact]
    public async Task A_git_commit_holding_index_lock_that_undoes_the_step_is_reported_and_caught_by_the_next_commit_hand_in_and_review()
    {
        repository.WriteAndApprove();
        repository.Git.Write("src/value.txt", "a = 2\n");
        repository.Git.Write("notes.txt", "the person's own change\n");
        repository.Git.Git("add", "notes.txt");
        var started = Path.Join(repository.Git.Outer, "editor-started");
        var go = Path.Join(repository.Git.Outer, "editor-go");
        var editor = Path.Join(repository.Git.Outer, "editor.sh");
        File.WriteAllText(editor, $"touch '{started}'\nwhile [ ! -f '{go}' ]; do sleep 0.05; done\necho 'commit from an index that never saw the step' > \"$1\"\n");
        Process? other = null;
        repository.Faults.OnReached = point =>
        {
            if (point != "commit-step:before-index-update")
            {
                return;
            }

            // The branch has moved; now a real `git commit -a` starts, reads HEAD (the step commit) and holds index.lock
            // while its editor runs (plain `git commit` releases it first) — the window in which commit_step's index
            // update meets the lock.
            other = repository.Git.StartGit(new Dictionary<string, string> { ["GIT_EDITOR"] = "sh " + editor }, "commit", "-a", "-q");
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!File.Exists(started) && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }

            Assert.True(File.Exists(Path.Join(repository.Git.Root, ".git", "index.lock")), "the second git process should hold index.lock");
        };
        var outcome = repository.Commit(1, "Write the value");
        repository.Faults.OnReached = null;

        Assert.False(outcome.Commit.IndexUpdated);
        Assert.True(outcome.Plan.Record.Steps[0].Commits.Single().IndexStale);
        Assert.Contains(repository.Workflow.ReadJournal(WorkflowRepository.Id), entry => entry.Detail?.Contains("index could not be updated", StringComparison.Ordinal) == true);

        File.WriteAllText(go, string.Empty);
        using (other)
        {
            Assert.True(other!.WaitForExit(30_000));
            Assert.True(other.ExitCode == 0, other.StandardError.ReadToEnd());
        }

        Assert.Equal(outcome.Commit.Sha, repository.Git.Git("rev-parse", "HEAD~1").Trim());
        Assert.DoesNotContain("src/value.txt", repository.Git.Git("ls-tree", "-r", "--name-only", "HEAD"));

        var plan = repository.Workflow.ReadPlan(WorkflowRepository.Id);
        Assert.False(plan.Record.Steps[0].Done);
        Assert.Contains("put src/value.txt", plan.Record.Steps[0].Problem);
        var next = Assert.Throws<PlanRefusedException>(() => repository.Commit(2, "Add the check", "notes.txt"));
        Assert.Equal("step_out_of_order", next.Code);
        Assert.Contains("src/value.txt", next.Message);
        var handIn = await Assert.ThrowsAsync<PlanRefusedException>(() => repository.Workflow.SubmitForReviewAsync(Actor.Implementer, WorkflowRepository.Id, CancellationToken.None));
        Assert.Equal("steps_not_done", handIn.Code);
        var evidence = repository.Workflow.ReviewImplementation(WorkflowRepository.Id, null, 0, 20_000);
        Assert.Equal(["src/value.txt"], evidence.Steps[0].Commits.Single().RevertedPaths);
        Assert.Contains(evidence.Warnings, warning => warning.Contains("index.lock", StringComparison.Ordinal));

        // The step's file is still in the working tree: committing the step again restores it on the branch.
        var redone = repository.Commit(1, "Write the value again");
        Assert.True(redone.Plan.Record.Steps[0].Done);
        Assert.Contains("src/value.txt", repository.Git.Git("ls-tree", "-r", "--name-only", "HEAD"));
    }

    [Fact]
    public void With_the_plans_root_full_after_the_git_commit_the_answer_says_committed_and_not_recorded_and_the_commit_is_adopted()
    {
        var plansRoot = Path.Join(repository.Git.Root, ".claude", "plans");
        Directory.CreateDirectory(plansRoot);
        using (var mount = Process.Start("mount", ["-t", "tmpfs", "-o", "size=512k", "tmpfs", plansRoot]))
        {
            mount.WaitForExit();
            Assert.SkipWhen(mount.ExitCode != 0, "mounting a small tmpfs is not permitted here");
        }

        try
        {
            repository.WriteAndApprove();
            repository.Git.Write("src/value.txt", "a = 2\n");
            var filler = Path.Join(plansRoot, "filler");
            repository.Faults.OnReached = point =>
            {
                if (point == "commit-step:after-git-commit")
                {
                    Fill(filler);
                }
            };
            var refused = Assert.Throws<PlanRefusedException>(() => repository.Commit(1, "Write the value"));
            repository.Faults.OnReached = null;

            var head = repository.Git.Head()!;
            Assert.Equal("committed_not_recorded", refused.Code);
            Assert.Contains($"WAS committed as {head[..12]}", refused.Message);
            Assert.Contains("disk_full", refused.Message);
            Assert.Contains("adopts it", refused.Message);
            Assert.DoesNotContain("nothing was changed", refused.Message, StringComparison.OrdinalIgnoreCase);

            File.Delete(filler);
            var restarted = repository.Restarted();
            Assert.Equal(1, restarted.Reconcile());
            var plan = restarted.ReadPlan(WorkflowRepository.Id);
            Assert.Equal(head, plan.Record.Steps[0].Commits.Single().Sha);
            Assert.True(plan.Record.Steps[0].Done);
        }
        finally
        {
            using var unmount = Process.Start("umount", ["-l", plansRoot]);
            unmount.WaitForExit();
        }
    }

    private static void Fill(string path)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1);
        var block = new byte[4096];
        try
        {
            while (true)
            {
                file.Write(block);
                file.Flush();
            }
        }
        catch (IOException)
        {
        }

        try
        {
            while (true)
            {
                file.Write(block, 0, 1);
                file.Flush();
            }
        }
        catch (IOException)
        {
        }
    }

    public void Dispose() => repository.Dispose();
}
