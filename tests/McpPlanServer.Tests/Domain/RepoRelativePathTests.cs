using McpPlanServer.Core.Paths;

namespace McpPlanServer.Tests.Domain;

public sealed class RepoRelativePathTests
{
    [Theory]
    [InlineData("src/a.cs", "src/a.cs")]
    [InlineData("./src//a.cs", "src/a.cs")]
    [InlineData("src\\a.cs", "src/a.cs")]
    [InlineData("src/x/../a.cs", "src/a.cs")]
    public void Normalizes(string raw, string expected)
    {
        Assert.True(RepoRelativePath.TryNormalize(raw, out var normalized, out _));
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("../x", "outside")]
    [InlineData("src/../../x", "outside")]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData("C:/x", "absolute")]
    [InlineData(".git/config", ".git")]
    [InlineData(".GIT/hooks/pre-commit", ".git")]
    [InlineData("", "empty")]
    [InlineData(".", "root")]
    [InlineData("a\0b", "control")]
    public void Refuses(string raw, string reason)
    {
        Assert.False(RepoRelativePath.TryNormalize(raw, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Theory]
    [InlineData(".claude/plans/Review/x.md", ".claude/plans", true)]
    [InlineData(".claude/plans", ".claude/plans", true)]
    [InlineData(".claude/plans-old/x.md", ".claude/plans", false)]
    [InlineData(".claude/plan", ".claude/plans", false)]
    [InlineData("src/a.cs", ".claude/plans", false)]
    public void IsUnder_compares_components_not_prefixes(string path, string folder, bool expected) =>
        Assert.Equal(expected, RepoRelativePath.IsUnder(path, folder));
}
