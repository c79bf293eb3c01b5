using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Tests.Git;

/// <summary>
/// git's index around a step commit: the entries it takes afterwards, and a change that git's stat data alone cannot
/// show (a "racily clean" file, changed within the same timestamp as the index was written).
/// </summary>
public sealed class StepCommitIndexTests : IDisposable
{
    private readonly TemporaryGitRepository repository = new();

    [Fact]
    public void After_a_step_the_index_holds_exactly_the_committed_entries_of_its_paths()
    {
        repository.CommitWithCli("keep.txt", "keep\n", "add keep");
        repository.CommitWithCli("gone.txt", "gone\n", "add gone");
        repository.CommitWithCli("changed.txt", "one\n", "add changed");
        repository.Write("run.sh", "#!/bin/sh\necho hi\n");
        repository.MakeExecutable("run.sh");
        File.CreateSymbolicLink(repository.Path("alias.txt"), "keep.txt");
        repository.Write("changed.txt", "two\n");
        File.Delete(repository.Path("gone.txt"));
        string[] paths = ["alias.txt", "changed.txt", "gone.txt", "run.sh"];

        var committed = repository.CommitStep("Mixed step", paths);

        Assert.True(committed.IndexUpdated);
        Assert.Equal(string.Empty, repository.Git("status", "--porcelain"));

        // ls-tree: "<mode> blob <id>\t<path>"; ls-files -s: "<mode> <id> <stage>\t<path>". The same mode and id per path.
        var inTree = repository.Git(["ls-tree", "HEAD", "--", .. paths]).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t')).Select(parts => (Path: parts[1], Entry: parts[0].Split(' ')[0] + " " + parts[0].Split(' ')[2]));
        var inIndex = repository.Git(["ls-files", "-s", "--", .. paths]).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t')).Select(parts => (Path: parts[1], Entry: parts[0].Split(' ')[0] + " " + parts[0].Split(' ')[1]));
        Assert.Equal(inTree.Order(), inIndex.Order());
        Assert.Equal(["alias.txt", "changed.txt", "run.sh"], inIndex.Select(entry => entry.Path).Order(StringComparer.Ordinal));
        Assert.StartsWith("100755 ", inIndex.Single(entry => entry.Path == "run.sh").Entry, StringComparison.Ordinal);
        Assert.StartsWith("120000 ", inIndex.Single(entry => entry.Path == "alias.txt").Entry, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_changed_within_the_index_timestamp_is_still_found_and_committed_without_paths()
    {
        // Same size, same inode, the same modification time as the index entry records, ctime not trusted: only the
        // content differs. git's rule for such an entry ("racily clean"): when the file is not older than the index file,
        // its stat data proves nothing and the content is compared.
        repository.Git("config", "core.trustctime", "false");
        var stamp = new DateTime(DateTime.UtcNow.Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, DateTimeKind.Utc).AddSeconds(-30);
        repository.Write("racy.txt", "aaaa\n");
        File.SetLastWriteTimeUtc(repository.Path("racy.txt"), stamp);
        repository.Git("add", "racy.txt");
        repository.Git("commit", "-q", "-m", "add racy");
        repository.Write("racy.txt", "bbbb\n");
        File.SetLastWriteTimeUtc(repository.Path("racy.txt"), stamp);
        var index = repository.Path(".git/index");

        // Control: with the index written later than the file, git trusts the matching stat data, as the git CLI does.
        File.SetLastWriteTimeUtc(index, stamp.AddSeconds(5));
        var missed = Assert.Throws<PlanRefusedException>(() => repository.CommitStep("Change racy", null));
        Assert.Equal(RefusalCodes.NothingToCommit, missed.Code);

        File.SetLastWriteTimeUtc(index, stamp);
        var committed = repository.CommitStep("Change racy", null);

        Assert.Equal("racy.txt", Assert.Single(committed.Files).Path);
        Assert.Equal("bbbb\n", repository.Git("cat-file", "blob", "HEAD:racy.txt"));
        Assert.Equal("aaaa\n", repository.Git("cat-file", "blob", "HEAD^:racy.txt"));
    }

    public void Dispose() => repository.Dispose();
}
