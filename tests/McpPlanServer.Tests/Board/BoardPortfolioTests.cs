using McpPlanServer.Board;

namespace McpPlanServer.Tests.Board;

public sealed class BoardPortfolioTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("mcpplan-portfolio-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void The_file_lives_under_XDG_CONFIG_HOME_or_the_home_folder()
    {
        Assert.Equal("/x/cfg/mcpplan/board.json", BoardPortfolio.DefaultPath(name => name == "XDG_CONFIG_HOME" ? "/x/cfg" : "/home/ada"));
        Assert.Equal("/home/ada/.config/mcpplan/board.json", BoardPortfolio.DefaultPath(name => name == "HOME" ? "/home/ada" : null));
        // A relative XDG_CONFIG_HOME is invalid by the XDG spec and ignored.
        Assert.Equal("/home/ada/.config/mcpplan/board.json", BoardPortfolio.DefaultPath(name => name == "XDG_CONFIG_HOME" ? "cfg" : "/home/ada"));
    }

    [Fact]
    public void A_missing_file_lists_nothing()
    {
        Assert.Empty(BoardPortfolio.Load(Path.Combine(folder, "board.json"), "/home/ada"));
    }

    [Fact]
    public void The_listed_folders_come_back_in_order_with_the_home_folder_expanded_and_duplicates_dropped()
    {
        var file = Path.Combine(folder, "board.json");
        File.WriteAllText(file, """
            // the person's portfolio
            { "repositories": ["~/src/api", "/work/web", "~", "/work/web",] }
            """);
        Assert.Equal(["/home/ada/src/api", "/work/web", "/home/ada"], BoardPortfolio.Load(file, "/home/ada"));
    }

    [Theory]
    [InlineData("""{ "repos": ["/a"] }""")]
    [InlineData("""{ "repositories": "/a" }""")]
    [InlineData("""{ "repositories": ["/a", 3] }""")]
    [InlineData("""{ "repositories": ["  "] }""")]
    [InlineData("""["/a"]""")]
    [InlineData("""{ "repositories": [""")]
    public void A_file_of_another_shape_is_refused_naming_the_expected_form(string content)
    {
        var file = Path.Combine(folder, "board.json");
        File.WriteAllText(file, content);
        var refusal = Assert.Throws<InvalidDataException>(() => BoardPortfolio.Load(file, "/home/ada"));
        Assert.Contains(file, refusal.Message, StringComparison.Ordinal);
        Assert.Contains("--repo", refusal.Message, StringComparison.Ordinal);
    }
}
