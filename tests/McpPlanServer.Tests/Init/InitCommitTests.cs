using McpPlanServer.Clients.Init;
using McpPlanServer.Tests.Git;

namespace McpPlanServer.Tests.Init;

/// <summary>commit_step never commits the set-up, so init tells the person to commit it, or does it with --commit.</summary>
public sealed class InitCommitTests : IDisposable
{
    private readonly TemporaryGitRepository repository = new();

    private (int ExitCode, string Stdout, string Stderr) Init(bool commit)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = InitCommand.Run(new InitOptions(repository.Root, ServerCommand: InitRepository.Launch, Commit: commit), stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Without_commit_init_ends_by_telling_the_person_to_commit_the_set_up()
    {
        var head = repository.Head();

        var (exit, stdout, _) = Init(commit: false);

        Assert.Equal(0, exit);
        Assert.Contains("Commit the set-up", stdout);
        Assert.Contains("git add .claude/mcpplan.json", stdout);
        Assert.Contains(".mcp.json", stdout);
        Assert.Contains("mcpplan init --commit", stdout);
        Assert.Equal(head, repository.Head());
    }

    [Fact]
    public void With_commit_exactly_the_set_up_files_are_committed_and_other_staged_changes_stay_staged()
    {
        repository.Write("work.txt", "staged work in progress\n");
        repository.Git("add", "work.txt");

        var (exit, stdout, stderr) = Init(commit: true);

        Assert.Equal(0, exit);
        Assert.Empty(stderr);
        Assert.Contains("Committed the set-up as", stdout);
        var committed = repository.Git("show", "--name-only", "--format=", "HEAD").Trim().Split('\n').Order(StringComparer.Ordinal);
        Assert.Equal(
            [".claude/mcpplan.json", ".claude/mcpplan/implementer.settings.json", ".claude/mcpplan/observer.settings.json", ".claude/mcpplan/planner.settings.json", ".claude/settings.json", ".gitignore", ".mcp.json", "CLAUDE.md"],
            committed);
        Assert.Equal("Set up mcpplan (mcpplan init)", repository.Git("log", "-1", "--format=%s").Trim());
        Assert.Equal("A  work.txt", repository.Git("status", "--porcelain").Trim());

        var again = Init(commit: true);
        Assert.Contains("already committed", again.Stdout);
    }

    public void Dispose() => repository.Dispose();
}
