using System.Text;
using System.Text.RegularExpressions;
using McpPlanServer.Core.Evidence;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Tests.Git;

/// <summary>What the planner reviews: commits since the base, their diffs in pages, and uncommitted changes.</summary>
public sealed partial class CommitEvidenceTests : IDisposable
{
    private readonly TemporaryGitRepository repository = new();

    [Fact]
    public void CommitsSince_lists_first_parent_commits_after_the_base_oldest_first_with_trailers_and_line_counts()
    {
        var baseSha = repository.Head()!;
        repository.Git("checkout", "-q", "-b", "side");
        var sideOnly = repository.CommitWithCli("side.txt", "side\n", "Side commit");
        repository.Git("checkout", "-q", "main");
        repository.Write("step.txt", "one\ntwo\nthree\n");
        var step = repository.CommitStep("Step one", "step.txt");
        repository.Git("merge", "-q", "--no-ff", "-m", "Merge side", "side");
        var merge = repository.Head()!;
        repository.Write("step.txt", "one\nTWO\nthree\nfour\n");
        var second = repository.Gateway.Commit(repository.Gateway.Prepare(
            new StepCommitRequest(["step.txt"], TemporaryGitRepository.PlansFolder, "Step two", [new("Plan-Id", "add-widget"), new("Plan-Step", "2")])));

        Assert.All(repository.Gateway.CommitsSince(baseSha, 100), commit => Assert.Empty(commit.Files)); // files only on request
        var commits = repository.Gateway.CommitsSince(baseSha, 100).Select(repository.Gateway.WithFiles).ToList();

        Assert.Equal([step.Sha, merge, second.Sha], commits.Select(commit => commit.Sha));
        Assert.DoesNotContain(sideOnly, commits.Select(commit => commit.Sha));
        Assert.Equal("Step one", commits[0].Subject);
        Assert.Equal("add-widget", commits[0].Trailer("Plan-Id"));
        Assert.Equal("1", commits[0].Trailer("plan-step"));
        Assert.Null(commits[1].Trailer("Plan-Id"));
        Assert.Equal("2", commits[2].Trailer("Plan-Step"));
        Assert.Equal("Test Author <author@example.test>", commits[0].Author);
        Assert.Equal(new FileChange("step.txt", FileChangeKind.Added, 3, 0, false), Assert.Single(commits[0].Files));
        Assert.Equal(new FileChange("side.txt", FileChangeKind.Added, 1, 0, false), Assert.Single(commits[1].Files));
        Assert.Equal(new FileChange("step.txt", FileChangeKind.Modified, 2, 1, false), Assert.Single(commits[2].Files));
        Assert.Equal("2\t1\tstep.txt", NumStat(second.Sha));
    }

    [Fact]
    public void CommitsSince_keeps_the_newest_commits_when_limited_and_everything_without_a_base()
    {
        var first = repository.Head()!;
        var a = repository.CommitWithCli("a.txt", "a\n", "A");
        var b = repository.CommitWithCli("b.txt", "b\n", "B");
        var c = repository.CommitWithCli("c.txt", "c\n", "C");

        Assert.Equal([b, c], repository.Gateway.CommitsSince(first, 2).Select(commit => commit.Sha));
        Assert.Equal([first, a, b, c], repository.Gateway.CommitsSince(null, 100).Select(commit => commit.Sha));
        Assert.Empty(repository.Gateway.CommitsSince(c, 100));
    }

    [Fact]
    public void CommitDiff_pages_a_large_diff_and_the_pages_concatenate_to_the_whole_diff()
    {
        repository.Write("big.txt", string.Concat(Enumerable.Range(0, 2000).Select(i => $"line {i}\n")));
        var sha = repository.CommitStep("Add big", "big.txt").Sha;
        var whole = repository.Gateway.CommitDiff(sha, 0, int.MaxValue);
        Assert.False(whole.Truncated);
        Assert.Equal(whole.TotalLength, whole.Text.Length);

        var pages = new StringBuilder();
        var offset = 0;
        var count = 0;
        while (true)
        {
            var page = repository.Gateway.CommitDiff(sha, offset, 1000);
            Assert.Equal(offset, page.Offset);
            Assert.True(page.Text.Length <= 1000);
            pages.Append(page.Text);
            count++;
            if (page.NextOffset is not { } next)
            {
                Assert.False(page.Truncated);
                break;
            }

            Assert.True(page.Truncated);
            Assert.Equal(offset + page.Text.Length, next);
            offset = next;
        }

        Assert.True(count > 10, $"only {count} pages");
        Assert.Equal(whole.Text, pages.ToString());
        Assert.StartsWith("diff --git a/big.txt b/big.txt\n--- /dev/null\n+++ b/big.txt\n@@ -0,0 +1,2000 @@\n+line 0\n", whole.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    public void CommitDiff_pages_never_split_a_character_outside_the_basic_plane(int maxBytes)
    {
        repository.Write("emoji.txt", string.Concat(Enumerable.Repeat("\U0001F600x\n", 20)));
        var sha = repository.CommitStep("Add emoji", "emoji.txt").Sha;
        var whole = repository.Gateway.CommitDiff(sha, 0, int.MaxValue).Text;

        var pages = new StringBuilder();
        int? offset = 0;
        while (offset is { } start)
        {
            var page = repository.Gateway.CommitDiff(sha, start, maxBytes);
            Assert.NotEmpty(page.Text);
            Assert.False(char.IsHighSurrogate(page.Text[^1]), $"page at {start} ends inside a surrogate pair");
            Assert.False(char.IsLowSurrogate(page.Text[0]), $"page at {start} starts inside a surrogate pair");
            pages.Append(page.Text);
            offset = page.NextOffset;
        }

        Assert.Equal(whole, pages.ToString());
    }

    [Fact]
    public void CommitDiff_of_a_binary_file_says_binary_files_differ()
    {
        repository.WriteBytes("image.bin", [0x89, 0x50, 0x00, 0x01, 0xFF]);
        var sha = repository.CommitStep("Add image", "image.bin").Sha;

        var diff = repository.Gateway.CommitDiff(sha, 0, 10_000);

        Assert.Equal("diff --git a/image.bin b/image.bin\nBinary files differ\n", diff.Text);
        Assert.True(repository.Gateway.WithFiles(Assert.Single(repository.Gateway.CommitsSince(repository.Git("rev-parse", "HEAD^").Trim(), 10))).Files.Single().Binary);
    }

    [Fact]
    public void CommitDiff_of_an_unknown_sha_is_refused()
    {
        var refusal = Assert.Throws<PlanRefusedException>(() => repository.Gateway.CommitDiff(new string('a', 40), 0, 100));
        Assert.Equal("commit_not_found", refusal.Code);
    }

    [Theory]
    [InlineData(new[] { 5 })]
    [InlineData(new[] { 1 })]
    [InlineData(new[] { 20 })]
    [InlineData(new[] { 3, 10 })]
    [InlineData(new[] { 3, 11 })]
    [InlineData(new[] { 3, 12 })]
    [InlineData(new[] { 2, 17 })]
    public void CommitDiff_hunks_equal_git_diff_for_the_same_edit(int[] editedLines)
    {
        var before = Enumerable.Range(1, 20).Select(i => $"line {i}").ToList();
        repository.CommitWithCli("file.txt", string.Join('\n', before) + "\n", "add file");
        var after = before.ToList();
        foreach (var line in editedLines)
        {
            after[line - 1] = $"changed {line}";
        }

        after.Insert(editedLines[0], "inserted");
        repository.Write("file.txt", string.Join('\n', after) + "\n");
        var sha = repository.CommitStep("Edit file", "file.txt").Sha;

        var ours = repository.Gateway.CommitDiff(sha, 0, 100_000).Text;
        var git = repository.Git("diff", "--no-color", "-U3", "--no-indent-heuristic", sha + "^", sha);

        Assert.Equal(Hunks(git), Hunks(ours));
        Assert.StartsWith("diff --git a/file.txt b/file.txt\n--- a/file.txt\n+++ b/file.txt\n@@ ", ours, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a\nb", "a\nb\n")]
    [InlineData("a\nb\n", "a\nb")]
    [InlineData("a\nb", "a\nc")]
    public void CommitDiff_shows_a_missing_final_newline_as_git_does(string before, string after)
    {
        repository.CommitWithCli("file.txt", before, "add file");
        repository.Write("file.txt", after);
        var committed = repository.CommitStep("Edit file", "file.txt");

        var ours = repository.Gateway.CommitDiff(committed.Sha, 0, 10_000).Text;
        var git = repository.Git("diff", "--no-color", committed.Sha + "^", committed.Sha);

        Assert.Equal(Hunks(git), Hunks(ours));
        Assert.Equal(NumStat(committed.Sha), $"{Assert.Single(committed.Files).LinesAdded}\t{committed.Files[0].LinesDeleted}\tfile.txt");
    }

    [Fact]
    public void CommitDiff_of_a_deleted_file_goes_to_dev_null()
    {
        repository.CommitWithCli("gone.txt", "a\nb\n", "add gone");
        File.Delete(repository.Path("gone.txt"));
        var sha = repository.CommitStep("Remove gone", "gone.txt").Sha;

        var diff = repository.Gateway.CommitDiff(sha, 0, 10_000);

        Assert.Equal("diff --git a/gone.txt b/gone.txt\n--- a/gone.txt\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-a\n-b\n", diff.Text);
    }

    [Fact]
    public void UncommittedChanges_lists_untracked_modified_and_staged_files_but_nothing_in_the_plans_folder()
    {
        repository.CommitWithCli("tracked.txt", "t\n", "add tracked");
        repository.CommitWithCli(".claude/plans/Active/p.md", "# Plan\n", "add plan");
        repository.Write("tracked.txt", "changed\n");
        repository.Write("new.txt", "new\n");
        repository.Write("staged.txt", "staged\n");
        repository.Git("add", "staged.txt");
        repository.Write(".claude/plans/Active/p.md", "# Plan edited\n");
        repository.Write(".claude/plans/Review/q.md", "# Other\n");
        repository.Write(".claude/plans-old/keep.md", "not the plans folder\n");

        var changes = repository.Gateway.UncommittedChanges(TemporaryGitRepository.PlansFolder).OrderBy(change => change.Path, StringComparer.Ordinal).ToList();

        Assert.Equal(
            [
                new WorkingChange(".claude/plans-old/keep.md", "untracked", false),
                new WorkingChange("new.txt", "untracked", false),
                new WorkingChange("staged.txt", "added", true),
                new WorkingChange("tracked.txt", "modified", false),
            ],
            changes);
    }

    [Fact]
    public void UncommittedChanges_of_a_clean_tree_is_empty() =>
        Assert.Empty(repository.Gateway.UncommittedChanges(TemporaryGitRepository.PlansFolder));

    public void Dispose() => repository.Dispose();

    /// <summary>The hunks of a unified diff with git's optional counts made explicit and function context dropped.</summary>
    private static List<string> Hunks(string diff)
    {
        var lines = diff.Split('\n');
        var result = new List<string>();
        var inHunks = false;
        foreach (var line in lines)
        {
            var header = HunkHeader().Match(line);
            if (header.Success)
            {
                inHunks = true;
                var oldCount = header.Groups[2].Success ? header.Groups[2].Value : "1";
                var newCount = header.Groups[4].Success ? header.Groups[4].Value : "1";
                result.Add($"@@ -{header.Groups[1].Value},{oldCount} +{header.Groups[3].Value},{newCount} @@");
            }
            else if (inHunks && line.Length > 0)
            {
                result.Add(line);
            }
        }

        Assert.NotEmpty(result);
        return result;
    }

    private string NumStat(string sha) => repository.Git("diff", "--numstat", sha + "^", sha).Trim();

    [GeneratedRegex(@"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")]
    private static partial Regex HunkHeader();
}
