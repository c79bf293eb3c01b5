using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;

namespace McpPlanServer.Tests.Storage;

public sealed class FilePlanStoreTests
{
    private const string Text = "# Plan: X\n\n## Summary\nS\n";

    private static FilePlanStore StoreIn(string repository) => new(repository, new PlanServerConfig());

    private static string PlansRoot(TempFolder folder) => folder.PathOf(Path.Combine("repo", ".claude", "plans"));

    [Fact]
    public void A_plans_root_that_is_a_symlink_out_of_the_repository_is_refused_and_nothing_is_written_there()
    {
        using var folder = new TempFolder();
        var outside = folder.PathOf("outside");
        Directory.CreateDirectory(outside);
        Directory.CreateDirectory(folder.PathOf(Path.Combine("repo", ".claude")));
        Directory.CreateSymbolicLink(PlansRoot(folder), outside);
        var store = StoreIn(folder.PathOf("repo"));

        var listing = Assert.Throws<PlanRefusedException>(() => store.ListPlans());
        var writing = Assert.Throws<PlanRefusedException>(() => store.WriteText(PlanId.Parse("x"), PlanFolder.Review, Text));
        var locking = Assert.Throws<PlanRefusedException>(() => store.AcquireLock());

        Assert.All([listing, writing, locking], refusal => Assert.Equal("path_outside_repository", refusal.Code));
        Assert.Contains(".claude/plans", listing.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
    }

    [Fact]
    public void A_plans_root_that_is_a_symlink_inside_the_repository_is_used()
    {
        using var folder = new TempFolder();
        var real = folder.PathOf(Path.Combine("repo", "docs", "plans"));
        Directory.CreateDirectory(real);
        Directory.CreateDirectory(folder.PathOf(Path.Combine("repo", ".claude")));
        Directory.CreateSymbolicLink(PlansRoot(folder), real);
        var store = StoreIn(folder.PathOf("repo"));

        store.WriteText(PlanId.Parse("x"), PlanFolder.Review, Text);

        Assert.True(File.Exists(Path.Combine(real, "Review", "x.md")));
        Assert.Equal(PlanFolder.Review, store.Locate(PlanId.Parse("x"))?.Folder);
    }

    [Fact]
    public void A_plan_file_that_is_a_symlink_is_refused_and_not_listed()
    {
        using var folder = new TempFolder();
        var target = folder.Write("secret.md", Text);
        Directory.CreateDirectory(Path.Combine(PlansRoot(folder), "Review"));
        File.CreateSymbolicLink(Path.Combine(PlansRoot(folder), "Review", "linked.md"), target);
        var store = StoreIn(folder.PathOf("repo"));

        var refusal = Assert.Throws<PlanRefusedException>(() => store.Locate(PlanId.Parse("linked")));

        Assert.Equal("symlink_refused", refusal.Code);
        Assert.Contains("Review/linked.md", refusal.Message);
        Assert.DoesNotContain(store.ListPlans(), location => location.Id.Value == "linked");
    }

    [Fact]
    public void A_plan_in_two_folders_is_refused_as_duplicate_plan_naming_both_folders()
    {
        using var folder = new TempFolder();
        folder.Write(Path.Combine(PlansRoot(folder), "Review", "twin.md"), Text);
        folder.Write(Path.Combine(PlansRoot(folder), "Active", "twin.md"), Text);
        var store = StoreIn(folder.PathOf("repo"));

        var refusal = Assert.Throws<PlanRefusedException>(() => store.Locate(PlanId.Parse("twin")));

        Assert.Equal("duplicate_plan", refusal.Code);
        Assert.Contains("Review/", refusal.Message);
        Assert.Contains("Active/", refusal.Message);
    }

    [Fact]
    public void A_plan_moved_by_hand_is_found_in_its_new_folder()
    {
        using var folder = new TempFolder();
        var store = StoreIn(folder.PathOf("repo"));
        var id = PlanId.Parse("moved");
        store.WriteText(id, PlanFolder.Review, Text);
        Assert.Equal(PlanFolder.Review, store.Locate(id)?.Folder);

        Directory.CreateDirectory(Path.Combine(PlansRoot(folder), "Completed"));
        File.Move(store.PlanPath(id, PlanFolder.Review), store.PlanPath(id, PlanFolder.Completed));

        Assert.Equal(PlanFolder.Completed, store.Locate(id)?.Folder);
        Assert.Equal(Text, store.ReadText(store.Locate(id)!));
        Assert.Equal([PlanFolder.Completed], store.ListPlans().Where(location => location.Id == id).Select(location => location.Folder));
    }

    [Fact]
    public void Move_refuses_to_overwrite_a_plan_already_in_the_target_folder()
    {
        using var folder = new TempFolder();
        var store = StoreIn(folder.PathOf("repo"));
        var id = PlanId.Parse("clash");
        store.WriteText(id, PlanFolder.Review, Text);
        store.WriteText(id, PlanFolder.Active, "# other\n");

        var refusal = Assert.Throws<PlanRefusedException>(() => store.Move(id, PlanFolder.Review, PlanFolder.Active));

        Assert.Equal("duplicate_plan", refusal.Code);
        Assert.Equal(Text, File.ReadAllText(store.PlanPath(id, PlanFolder.Review)));
        Assert.Equal("# other\n", File.ReadAllText(store.PlanPath(id, PlanFolder.Active)));
    }

    [Fact]
    public void Recover_removes_temp_files_and_cuts_a_torn_journal_tail()
    {
        using var folder = new TempFolder();
        var store = StoreIn(folder.PathOf("repo"));
        store.WriteText(PlanId.Parse("x"), PlanFolder.Review, Text);
        folder.Write(Path.Combine(PlansRoot(folder), "Review", ".x.md.0123.tmp"), "half");
        File.WriteAllText(store.JournalPath, "{\"at\":");

        var line = store.Recover();

        Assert.Equal("recovered: 6 torn journal bytes dropped, 1 temp files removed", line);
        Assert.Empty(folder.TempFiles());
        Assert.Empty(store.ReadJournal());
        Assert.Null(store.Recover());
    }

    [Fact]
    public void Recover_while_another_writer_holds_the_lock_past_its_timeout_skips_and_says_so_instead_of_failing_the_start()
    {
        using var folder = new TempFolder();
        var store = StoreIn(folder.PathOf("repo"));
        store.WriteText(PlanId.Parse("x"), PlanFolder.Review, Text);
        File.AppendAllText(store.JournalPath, "{\"at\":");

        string? line;
        using (store.AcquireLock())
        {
            line = StoreIn(folder.PathOf("repo")).Recover();
        }

        Assert.StartsWith("recovery skipped (busy)", line);
        Assert.EndsWith("{\"at\":", File.ReadAllText(store.JournalPath));
    }
}
