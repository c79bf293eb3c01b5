using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;

namespace McpPlanServer.Tests.Storage;

/// <summary>
/// The folder listing without file times (<see cref="FilePlanStore.ListPlanNames"/>): the same plans as the full listing,
/// links never listed, a kept listing given up as soon as a state folder changes, and a folder changed within the last
/// seconds enumerated again (its time is not trusted yet).
/// </summary>
public sealed class PlanNameListingTests : IDisposable
{
    private const string Text = "# Plan: X\n\n## Summary\nS\n";
    private readonly TempFolder folder = new();

    private string Repository => folder.PathOf("repo");

    private string Review => Path.Combine(Repository, ".claude", "plans", "Review");

    private FilePlanStore Store() => new(Repository, new PlanServerConfig());

    /// <summary>Makes the state folders' last change old enough for a listing of them to be kept.</summary>
    private void SettleFolders()
    {
        foreach (var state in Enum.GetValues<PlanFolder>())
        {
            var path = Path.Combine(Repository, ".claude", "plans", state.ToString());
            Directory.CreateDirectory(path);
            Directory.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(-5));
        }
    }

    private static List<(string, PlanFolder)> Names(IEnumerable<ListedPlan> listed) => [.. listed.Select(plan => (plan.Id.Value, plan.Folder)).Order()];

    private static List<(string, PlanFolder)> Names(IEnumerable<PlanLocation> listed) => [.. listed.Select(plan => (plan.Id.Value, plan.Folder)).Order()];

    [Fact]
    public void The_names_are_the_full_listings_plans_and_links_are_never_listed()
    {
        var store = Store();
        store.WriteText(PlanId.Parse("a"), PlanFolder.Review, Text);
        store.WriteText(PlanId.Parse("b"), PlanFolder.Active, Text);
        File.WriteAllText(Path.Combine(Review, "README notes.md"), "not a plan");
        File.CreateSymbolicLink(Path.Combine(Review, "linked.md"), folder.Write("outside.md", Text));

        var names = store.ListPlanNames();

        Assert.Equal(Names(store.ListPlans()), Names(names));
        Assert.Equal(new[] { ("a", PlanFolder.Review), ("b", PlanFolder.Active) }, Names(names));
        Assert.All(names, plan => Assert.Null(plan.LastWriteTime));
    }

    [Fact]
    public void A_settled_listing_is_kept_until_a_file_is_added_removed_or_replaced_by_a_link()
    {
        var store = Store();
        store.WriteText(PlanId.Parse("a"), PlanFolder.Review, Text);
        SettleFolders();
        var first = store.ListPlanNames();
        Assert.Same(first, store.ListPlanNames());

        store.WriteText(PlanId.Parse("b"), PlanFolder.Review, Text);
        Assert.Equal(new[] { ("a", PlanFolder.Review), ("b", PlanFolder.Review) }, Names(store.ListPlanNames()));

        SettleFolders();
        File.Delete(Path.Combine(Review, "a.md"));
        File.CreateSymbolicLink(Path.Combine(Review, "a.md"), folder.Write("outside.md", Text));
        Assert.Equal(new[] { ("b", PlanFolder.Review) }, Names(store.ListPlanNames()));

        SettleFolders();
        Directory.CreateDirectory(Path.Combine(Repository, ".claude", "plans", "Completed"));
        File.Move(Path.Combine(Review, "b.md"), Path.Combine(Repository, ".claude", "plans", "Completed", "b.md"));
        Assert.Equal(new[] { ("b", PlanFolder.Completed) }, Names(store.ListPlanNames()));
    }

    [Fact]
    public void A_folder_changed_within_the_last_seconds_is_enumerated_again_even_when_its_time_did_not_move()
    {
        var store = Store();
        store.WriteText(PlanId.Parse("a"), PlanFolder.Review, Text);
        var first = store.ListPlanNames();
        var time = Directory.GetLastWriteTimeUtc(Review);

        // A second change in the same tick of a coarse clock leaves the folder's time as it was: the folder changed just
        // now, so its time is not trusted and its files are enumerated again.
        File.WriteAllText(Path.Combine(Review, "b.md"), Text);
        Directory.SetLastWriteTimeUtc(Review, time);
        var second = store.ListPlanNames();
        Assert.Equal(new[] { ("a", PlanFolder.Review), ("b", PlanFolder.Review) }, Names(second));
        Assert.NotSame(first, second);

        File.Delete(Path.Combine(Review, "a.md"));
        Directory.SetLastWriteTimeUtc(Review, time);
        Assert.Equal(new[] { ("b", PlanFolder.Review) }, Names(store.ListPlanNames()));
    }

    [Fact]
    public void An_enumeration_that_finds_the_same_files_gives_the_kept_listing_itself()
    {
        var store = Store();
        store.WriteText(PlanId.Parse("a"), PlanFolder.Review, Text);
        store.WriteText(PlanId.Parse("b"), PlanFolder.Active, Text);
        var first = store.ListPlanNames();

        // Not settled (changed just now), so enumerated again; the same files give the same object, on which the
        // listing's order is kept.
        Assert.Same(first, store.ListPlanNames());

        // Rewritten under the same name (a new file renamed over it): the same plans, and a new listing when the folder's
        // time moved (callers take the same object to mean nothing was renamed).
        var time = Directory.GetLastWriteTimeUtc(Review);
        store.WriteText(PlanId.Parse("a"), PlanFolder.Review, Text + "rewritten under the same name\n");
        Directory.SetLastWriteTimeUtc(Review, time.AddSeconds(1));
        var rewritten = store.ListPlanNames();
        Assert.Equal(Names(first), Names(rewritten));
        Assert.NotSame(first, rewritten);
        Assert.Same(rewritten, store.ListPlanNames());

        File.Move(Path.Combine(Review, "a.md"), Path.Combine(Review, "c.md"));
        Assert.Equal(new[] { ("b", PlanFolder.Active), ("c", PlanFolder.Review) }, Names(store.ListPlanNames()));
    }

    [Fact]
    public void A_change_in_one_folder_is_listed_with_the_other_folders_kept_listing()
    {
        var store = Store();
        store.WriteText(PlanId.Parse("done"), PlanFolder.Completed, Text);
        store.WriteText(PlanId.Parse("a"), PlanFolder.Review, Text);
        SettleFolders();
        Assert.Equal(2, store.ListPlanNames().Count);

        store.WriteText(PlanId.Parse("b"), PlanFolder.Review, Text);
        Assert.Equal(new[] { ("a", PlanFolder.Review), ("b", PlanFolder.Review), ("done", PlanFolder.Completed) }, Names(store.ListPlanNames()));
        Assert.Equal(Names(store.ListPlans()), Names(store.ListPlanNames()));

        File.Delete(Path.Combine(Repository, ".claude", "plans", "Completed", "done.md"));
        Assert.Equal(new[] { ("a", PlanFolder.Review), ("b", PlanFolder.Review) }, Names(store.ListPlanNames()));
    }

    [Fact]
    public void A_state_folder_replaced_by_a_link_is_not_listed_even_when_a_listing_was_kept()
    {
        var store = Store();
        store.WriteText(PlanId.Parse("a"), PlanFolder.Review, Text);
        SettleFolders();
        Assert.Single(store.ListPlanNames());

        var outside = folder.PathOf("elsewhere");
        Directory.Move(Review, outside);
        Directory.CreateSymbolicLink(Review, outside);

        Assert.Empty(store.ListPlanNames());
        Assert.Empty(store.ListPlans());
    }

    public void Dispose() => folder.Dispose();
}
