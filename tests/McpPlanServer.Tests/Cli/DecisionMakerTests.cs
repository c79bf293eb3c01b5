using McpPlanServer.Cli.Commands;
using McpPlanServer.Tests.Git;

namespace McpPlanServer.Tests.Cli;

public sealed class DecisionMakerTests
{
    [Fact]
    public void By_names_the_decision_maker_over_git_and_the_os_user()
    {
        using var repository = new TemporaryGitRepository(initialCommit: false);

        var (name, note) = DecisionMaker.Resolve(repository.Root, "Ada Person", osUserName: "root");

        Assert.Equal("Ada Person", name);
        Assert.Null(note);
    }

    [Fact]
    public void Git_identity_of_the_repository_comes_before_the_os_user()
    {
        using var repository = new TemporaryGitRepository(initialCommit: false);

        var (name, note) = DecisionMaker.Resolve(repository.Root, null, osUserName: "root");

        Assert.Equal("Test Author <author@example.test>", name);
        Assert.Null(note);
    }
}
