using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;

namespace McpPlanServer.Tests.Storage;

/// <summary>Real links in real temporary folders: the store never opens, truncates, creates or deletes through one.</summary>
public sealed class LinkSafetyTests
{
    private const string Text = "# Plan: X\n\n## Summary\nS\n";

    [Fact]
    public void Start_up_recovery_never_truncates_the_file_a_journal_link_points_to()
    {
        using var folder = new TempFolder();
        var victim = folder.Write("victim.txt", "not a journal {\"torn\":");
        var plans = folder.PathOf(Path.Combine("repo", ".claude", "plans"));
        Directory.CreateDirectory(plans);
        File.CreateSymbolicLink(Path.Combine(plans, "journal.jsonl"), victim);
        var store = new FilePlanStore(folder.PathOf("repo"), new PlanServerConfig());

        var recovered = store.Recover();
        var append = Assert.Throws<PlanRefusedException>(() => store.AppendJournal(new JournalEntry { At = DateTimeOffset.UnixEpoch, Actor = "owner", Action = "x", Outcome = "ok" }));

        Assert.Contains("journal not repaired (symlink_refused)", recovered);
        Assert.Equal("symlink_refused", append.Code);
        Assert.Equal("not a journal {\"torn\":", File.ReadAllText(victim));
    }

    [Fact]
    public void The_lock_never_creates_the_target_of_a_dangling_link()
    {
        using var folder = new TempFolder();
        var plans = folder.PathOf(Path.Combine("repo", ".claude", "plans"));
        Directory.CreateDirectory(plans);
        File.CreateSymbolicLink(Path.Combine(plans, ".lock"), folder.PathOf("created"));
        var store = new FilePlanStore(folder.PathOf("repo"), new PlanServerConfig());

        var refusal = Assert.Throws<PlanRefusedException>(() => store.AcquireLock());

        Assert.Equal("symlink_refused", refusal.Code);
        Assert.False(File.Exists(folder.PathOf("created")));
    }

    [Fact]
    public void The_temp_sweep_does_not_enter_a_linked_folder()
    {
        using var folder = new TempFolder();
        var outsideTemp = folder.Write(Path.Combine("outside", ".a.tmp"), "x");
        var insideTemp = folder.Write(Path.Combine("root", "sub", ".b.tmp"), "x");
        Directory.CreateSymbolicLink(folder.PathOf(Path.Combine("root", "link")), folder.PathOf("outside"));

        var removed = TempFileSweeper.Sweep(folder.PathOf("root"), recursive: true);

        Assert.Equal(1, removed);
        Assert.True(File.Exists(outsideTemp));
        Assert.False(File.Exists(insideTemp));
    }

    [Fact]
    public void A_records_folder_linked_out_refuses_the_change_before_anything_is_written()
    {
        using var folder = new TempFolder();
        var plans = folder.PathOf(Path.Combine("repo", ".claude", "plans"));
        Directory.CreateDirectory(plans);
        Directory.CreateDirectory(folder.PathOf("outside"));
        Directory.CreateSymbolicLink(Path.Combine(plans, ".records"), folder.PathOf("outside"));
        var store = new FilePlanStore(folder.PathOf("repo"), new PlanServerConfig());

        var locking = Assert.Throws<PlanRefusedException>(() => store.AcquireLock());
        var writing = Assert.Throws<PlanRefusedException>(() => store.WriteReviewMarkdown(PlanId.Parse("x"), 1, "review"));
        var problems = store.LinkProblems(includePlanFiles: true);

        Assert.Equal("symlink_refused", locking.Code);
        Assert.Equal("symlink_refused", writing.Code);
        Assert.Contains(".claude/plans/.records", locking.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.PathOf("outside")));
        Assert.Equal(".claude/plans/.records", Assert.Single(problems).Path);
        store.WriteText(PlanId.Parse("x"), PlanFolder.Review, Text);
        Assert.Equal(PlanFolder.Review, store.Locate(PlanId.Parse("x"))?.Folder);
    }
}
