using McpPlanServer.Core.Paths;

namespace McpPlanServer.Tests.Domain;

/// <summary>The one "is this path inside that folder" check: whole components, lexical <c>..</c>, an explicit case rule.</summary>
public sealed class PathContainmentTests
{
    [Theory]
    [InlineData("/a/b", "/a/b", true)]
    [InlineData("/a/b/c.txt", "/a/b", true)]
    [InlineData("/a/bc", "/a/b", false)]
    [InlineData("/a/bc/x", "/a/b", false)]
    [InlineData("/a", "/a/b", false)]
    [InlineData("/a/b/", "/a/b", true)]
    [InlineData("/a/b/c", "/a/b/", true)]
    [InlineData("/a/b//c", "/a/b", true)]
    [InlineData("/a/b/./c", "/a/b", true)]
    [InlineData("/a/b/../c", "/a/b", false)]
    [InlineData("/a/b/../b/c", "/a/b", true)]
    [InlineData("/a/b/..", "/a/b", false)]
    [InlineData("/a/b/c/../../..", "/a", false)]
    [InlineData("/a/x/../b/c", "/a/b", true)]
    [InlineData("a/b/c", "a/b", true)]
    [InlineData("a/bc", "a/b", false)]
    [InlineData("a/b/../../c", "a", false)]
    [InlineData("../a", "a", false)]
    public void Compares_whole_components_after_resolving_dot_dot(string path, string folder, bool inside) =>
        Assert.Equal(inside, PathContainment.IsInside(path, folder, PathCase.Sensitive));

    [Theory]
    [InlineData(PathCase.Sensitive, false)]
    [InlineData(PathCase.Insensitive, true)]
    public void The_case_rule_is_the_callers_choice(PathCase pathCase, bool inside)
    {
        Assert.Equal(inside, PathContainment.IsInside("/Repo/Review/x.md", "/repo/review", pathCase));
        Assert.Equal(inside, PathContainment.IsInside("src/A.cs", "SRC", pathCase));
        Assert.False(PathContainment.IsInside("/repo/reviews/x.md", "/repo/Review", pathCase));
    }

    [Fact]
    public void The_platform_rule_follows_the_usual_file_system()
    {
        var insensitive = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS();

        Assert.Equal(insensitive ? PathCase.Insensitive : PathCase.Sensitive, PathContainment.Platform);
    }

    [Fact]
    public void Repository_relative_paths_compare_exactly_as_git_does()
    {
        Assert.False(RepoRelativePath.IsUnder(".Claude/plans/x.md", ".claude/plans"));
        Assert.True(RepoRelativePath.IsUnder(".claude/plans/x.md", ".claude/plans/"));
    }

    [Fact]
    public void A_relative_path_is_made_full_against_the_current_directory_when_the_folder_is_absolute() =>
        Assert.True(PathContainment.IsInside("x/y", Directory.GetCurrentDirectory(), PathCase.Sensitive));
}
