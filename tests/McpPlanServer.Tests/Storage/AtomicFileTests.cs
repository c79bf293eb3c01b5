using System.Text;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;

namespace McpPlanServer.Tests.Storage;

public sealed class AtomicFileTests
{
    [Fact]
    public void Write_replaces_the_content_of_an_existing_file_and_leaves_no_temp_file()
    {
        using var folder = new TempFolder();
        var path = folder.Write("plan.md", "old text that is longer than the new one");

        AtomicFile.Write(path, Encoding.UTF8.GetBytes("new"));

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Empty(folder.TempFiles());
        Assert.Equal(["plan.md"], Directory.EnumerateFileSystemEntries(folder.Root).Select(Path.GetFileName));
    }

    [Fact]
    public void Write_creates_a_file_that_did_not_exist()
    {
        using var folder = new TempFolder();
        var path = folder.PathOf("fresh.md");

        AtomicFile.Write(path, Encoding.UTF8.GetBytes("fresh"));

        Assert.Equal("fresh", File.ReadAllText(path));
        Assert.Empty(folder.TempFiles());
    }

    [Fact]
    public void Write_into_a_missing_folder_is_refused_with_folder_missing_and_the_fix()
    {
        using var folder = new TempFolder();
        var path = folder.PathOf(Path.Combine("gone", "plan.md"));

        var refusal = Assert.Throws<PlanRefusedException>(() => AtomicFile.Write(path, Encoding.UTF8.GetBytes("x")));

        Assert.Equal("folder_missing", refusal.Code);
        Assert.Contains("gone", refusal.Message);
        Assert.Contains("mcpplan init", refusal.Message);
        Assert.False(Directory.Exists(folder.PathOf("gone")));
    }

    [Fact]
    public void Rename_refuses_to_replace_an_existing_target_and_keeps_both_files()
    {
        using var folder = new TempFolder();
        var source = folder.Write("a.md", "a");
        var target = folder.Write("b.md", "b");

        var refusal = Assert.Throws<PlanRefusedException>(() => AtomicFile.Rename(source, target));

        Assert.Equal("io_error", refusal.Code);
        Assert.Equal("a", File.ReadAllText(source));
        Assert.Equal("b", File.ReadAllText(target));
    }
}
