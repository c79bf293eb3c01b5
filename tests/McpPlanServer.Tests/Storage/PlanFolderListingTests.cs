using McpPlanServer.Storage;

namespace McpPlanServer.Tests.Storage;

/// <summary>The change monitor's listing, kept from the watcher's paths (a stat per named file) or by listing a folder again
/// when the poll sees its time move: real files, real folder times.</summary>
public sealed class PlanFolderListingTests : IDisposable
{
    private static readonly string[] Folders = ["Review", "Active", "Completed", ".records"];
    private readonly TempFolder folder = new();

    public PlanFolderListingTests()
    {
        foreach (var name in Folders)
        {
            Directory.CreateDirectory(Path.Combine(folder.Root, name));
        }

        for (var i = 0; i < 20; i++)
        {
            File.WriteAllText(At($"Review/p{i}.md"), "# Plan\n");
            File.WriteAllText(At($".records/p{i}.json"), "{}");
        }

        Age();
    }

    public void Dispose() => folder.Dispose();

    private string At(string relative) => Path.Combine(folder.Root, relative);

    /// <summary>Every file and folder made old, so a listing taken now counts as settled (a young folder is listed again).</summary>
    private void Age()
    {
        var old = DateTime.UtcNow.AddMinutes(-10);
        foreach (var name in Folders)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(folder.Root, name)))
            {
                File.SetLastWriteTimeUtc(file, old);
            }

            Directory.SetLastWriteTimeUtc(Path.Combine(folder.Root, name), old);
        }
    }

    private PlanFolderListing Listed()
    {
        var listing = new PlanFolderListing(folder.Root, Folders);
        Assert.Equal(40, listing.ListAll().Count);
        Assert.Empty(listing.Poll());
        Assert.Equal(4, listing.FullListings);
        return listing;
    }

    [Fact]
    public void Changes_named_by_the_watcher_are_applied_file_by_file_without_listing_a_folder()
    {
        var listing = Listed();
        File.Move(At("Review/p1.md"), At("Active/p1.md"));
        File.WriteAllText(At(".records/p2.json.tmp"), "{\"x\":1}");
        File.Move(At(".records/p2.json.tmp"), At(".records/p2.json"), overwrite: true);
        File.AppendAllText(At("Review/p3.md"), "edited in place\n");
        File.Delete(At("Review/p4.md"));
        File.WriteAllText(At("Review/new.md"), "# Plan\n");
        var times = listing.FolderTimes();

        var changed = listing.Apply(
            [At("Review/p1.md"), At("Active/p1.md"), At(".records/p2.json.tmp"), At(".records/p2.json"), At("Review/p3.md"), At("Review/p4.md"),
             At("Review/new.md"), At("Review/p5.md"), At("claims.json"), At("Review/nested/x.md")],
            times);

        Assert.Equal(
            new[] { "Review/p1.md", "Active/p1.md", ".records/p2.json", "Review/p3.md", "Review/p4.md", "Review/new.md" }.Order(StringComparer.Ordinal),
            changed.Order(StringComparer.Ordinal));
        Assert.Equal(4, listing.FullListings);

        // Every folder time the paths account for is taken: the poll lists nothing again and finds nothing left.
        Assert.Empty(listing.Poll());
        Assert.Equal(4, listing.FullListings);
        Assert.Equal(Fresh(), Known(listing));
    }

    /// <summary>No event named the change (a watcher that missed it, or none at all): the folder's time moved, so the poll
    /// lists that folder, and only that folder, again and names the files.</summary>
    [Fact]
    public void A_change_no_event_named_is_found_by_the_poll_listing_only_the_folders_whose_time_moved()
    {
        var listing = Listed();
        File.Move(At("Review/p7.md"), At("Completed/p7.md"));

        Assert.Equal(["Completed/p7.md", "Review/p7.md"], listing.Poll().Order(StringComparer.Ordinal));
        Assert.Equal(6, listing.FullListings);
        Assert.Equal(Fresh(), Known(listing));
    }

    /// <summary>With a watcher running, the poll leaves one tick for the watcher's event before listing a folder whose time
    /// moved: an event that comes in time makes the listing needless; one that never comes is listed the tick after.</summary>
    [Fact]
    public void With_a_watcher_the_poll_lists_a_folder_one_tick_after_its_time_moved_unless_an_event_accounts_for_it()
    {
        var listing = Listed();
        File.Move(At("Review/p7.md"), At("Completed/p7.md"));
        Assert.Empty(listing.Poll(patient: true));
        Assert.Equal(["Completed/p7.md", "Review/p7.md"], listing.Apply([At("Review/p7.md"), At("Completed/p7.md")], listing.FolderTimes()).Order(StringComparer.Ordinal));
        Assert.Empty(listing.Poll(patient: true));
        Assert.Equal(4, listing.FullListings);

        File.Move(At("Review/p9.md"), At("Active/p9.md"));
        Assert.Empty(listing.Poll(patient: true));
        Assert.Equal(["Active/p9.md", "Review/p9.md"], listing.Poll(patient: true).Order(StringComparer.Ordinal));
        Assert.Equal(6, listing.FullListings);
        Assert.Equal(Fresh(), Known(listing));
    }

    /// <summary>The watcher named a change in one folder while another folder changed with no event: the unnamed folder keeps
    /// its old time, so the poll still lists it.</summary>
    [Fact]
    public void A_folder_the_watcher_named_nothing_in_is_still_listed_by_the_poll()
    {
        var listing = Listed();
        File.AppendAllText(At("Review/p1.md"), "edited\n");
        File.WriteAllText(At("Completed/late.md"), "# Plan\n");
        var times = listing.FolderTimes();

        Assert.Equal(["Review/p1.md"], listing.Apply([At("Review/p1.md")], times));
        Assert.Equal(["Completed/late.md"], listing.Poll());
        Assert.Equal(Fresh(), Known(listing));
    }

    /// <summary>A path that names a watched folder itself (replaced, renamed away and back) lists that folder again.</summary>
    [Fact]
    public void A_watched_folder_named_by_an_event_is_listed_again()
    {
        var listing = Listed();
        var completed = At("Completed");
        Directory.Move(completed, completed + ".old");
        Directory.CreateDirectory(completed);
        File.WriteAllText(Path.Combine(completed, "moved.md"), "# Plan\n");

        Assert.Equal(["Completed/moved.md"], listing.Apply([completed + ".old", completed], listing.FolderTimes()));
        Assert.Equal(5, listing.FullListings);
    }

    private static string Known(PlanFolderListing listing) => listing.Describe();

    private string Fresh()
    {
        var fresh = new PlanFolderListing(folder.Root, Folders);
        fresh.ListAll();
        return fresh.Describe();
    }
}
