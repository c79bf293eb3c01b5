using System.Diagnostics;
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
    public void Many_stars_against_a_long_name_take_linear_time_not_exponential()
    {
        // Issue 14: eleven stars against a 40-character name took 57 s with the recursive matcher.
        var pattern = string.Concat(Enumerable.Repeat("a*", 11)) + "b";
        var name = new string('a', 40);
        var watch = Stopwatch.StartNew();

        var matched = GlobPattern.Matches(pattern, name);

        watch.Stop();
        Assert.False(matched);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed.TotalMilliseconds} ms");

        var worst = string.Concat(Enumerable.Repeat("*a", 200)) + "*b";
        Assert.False(GlobPattern.Matches(worst, new string('a', 4000)));
    }
}
