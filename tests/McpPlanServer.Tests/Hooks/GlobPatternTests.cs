using McpPlanServer.Clients.Hooks;

namespace McpPlanServer.Tests.Hooks;

public sealed class GlobPatternTests
{
    [Theory]
    [InlineData("*.cs", "app.cs", true)]
    [InlineData("*.cs", "app.csx", false)]
    [InlineData("a*b*c", "aXbYc", true)]
    [InlineData("a*b*c", "aXbY", false)]
    [InlineData("*", "", true)]
    [InlineData("?", "", false)]
    [InlineData("??.md", "ab.md", true)]
    [InlineData("[a-c]x", "bx", true)]
    [InlineData("[!a-c]x", "bx", false)]
    [InlineData("[^a-c]x", "dx", true)]
    [InlineData("a[", "a[", true)]
    [InlineData("[", "[", true)]
    [InlineData("*a", "aaaa", true)]
    [InlineData("*ab*ab", "abab", true)]
    [InlineData("*", ".claude", false)]
    [InlineData(".cl*", ".claude", true)]
    [InlineData("**", "x", true)]
    public void Matches_like_the_shell(string pattern, string name, bool expected) =>
        Assert.Equal(expected, GlobPattern.Matches(pattern, name));

    [Fact]
    public void Many_stars_against_a_long_name_finish_because_matching_is_linear()
    {
        // Issue 14: eleven stars against a 40-character name took 57 s with the recursive matcher, whose time grew
        // exponentially with the stars; the second case would not finish at all. Nothing is timed: finishing is the test.
        Assert.False(GlobPattern.Matches(string.Concat(Enumerable.Repeat("a*", 11)) + "b", new string('a', 40)));
        Assert.False(GlobPattern.Matches(string.Concat(Enumerable.Repeat("*a", 200)) + "*b", new string('a', 4000)));
        Assert.True(GlobPattern.Matches(string.Concat(Enumerable.Repeat("*a", 200)) + "*", new string('a', 4000)));
        Assert.False(GlobPattern.Matches(string.Concat(Enumerable.Repeat("*[a-c]?", 100)) + "*x", new string('b', 3000)));
    }
}
