using System.Text;
using McpPlanServer.Storage;

namespace McpPlanServer.Tests.Storage;

/// <summary>The crash points of an atomic write, observed in process through an injected <see cref="FaultProbe"/>.</summary>
public sealed class AtomicFileFaultTests
{
    [Fact]
    public void A_crash_at_before_rename_leaves_the_old_file_intact_and_a_complete_temp_that_the_sweeper_removes()
    {
        using var folder = new TempFolder();
        var path = folder.Write("plan.md", "old text");
        var seen = new List<string>();
        var faults = new FaultProbe
        {
            OnReached = point =>
            {
                seen.Add(point);
                if (point == "atomic-write:before-rename")
                {
                    throw new SimulatedCrashException(point);
                }
            },
        };
        var crash = Assert.Throws<SimulatedCrashException>(() => AtomicFile.Write(path, Encoding.UTF8.GetBytes("new text"), faults));
        Assert.Equal("atomic-write:before-rename", crash.Point);

        Assert.Equal(["atomic-write:partial-temp", "atomic-write:before-rename"], seen);
        Assert.Equal("old text", File.ReadAllText(path));
        var temp = Assert.Single(folder.TempFiles());
        Assert.StartsWith(".plan.md.", Path.GetFileName(temp));
        Assert.Equal("new text", File.ReadAllText(folder.PathOf(temp)));

        Assert.Equal(1, TempFileSweeper.Sweep(folder.Root, recursive: true));
        Assert.Empty(folder.TempFiles());
        Assert.Equal("old text", File.ReadAllText(path));
    }

    [Fact]
    public void At_partial_temp_the_temp_holds_only_the_first_half_and_the_target_is_untouched()
    {
        using var folder = new TempFolder();
        var path = folder.Write("plan.md", "old");
        long? partialLength = null;
        string? targetAtCrash = null;
        var faults = new FaultProbe
        {
            OnReached = point =>
            {
                if (point == "atomic-write:partial-temp")
                {
                    // The writer still holds the temp open (and flock-ed), so look at its size rather than open it.
                    partialLength = new FileInfo(folder.PathOf(Assert.Single(folder.TempFiles()))).Length;
                    targetAtCrash = File.ReadAllText(path);
                }
            },
        };
        AtomicFile.Write(path, Encoding.UTF8.GetBytes("0123456789"), faults);

        Assert.Equal(5, partialLength);
        Assert.Equal("old", targetAtCrash);
        Assert.Equal("0123456789", File.ReadAllText(path));
        Assert.Empty(folder.TempFiles());
    }

    [Fact]
    public void The_sweeper_removes_only_temp_files_and_reaches_subfolders_when_recursive()
    {
        using var folder = new TempFolder();
        folder.Write("plan.md", "keep");
        folder.Write("notes.tmp", "keep: not a hidden temp");
        folder.Write(".plan.md.abc.tmp", "x");
        folder.Write(Path.Combine("Review", ".a.md.def.tmp"), "x");

        Assert.Equal(1, TempFileSweeper.Sweep(folder.Root, recursive: false));
        Assert.Equal(1, TempFileSweeper.Sweep(folder.Root, recursive: true));

        Assert.True(File.Exists(folder.PathOf("plan.md")));
        Assert.True(File.Exists(folder.PathOf("notes.tmp")));
        Assert.Equal(["notes.tmp"], folder.TempFiles());
    }
}
