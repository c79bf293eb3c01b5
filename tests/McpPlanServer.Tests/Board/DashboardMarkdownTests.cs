using McpPlanServer.Cli.Commands;

namespace McpPlanServer.Tests.Board;

public sealed class DashboardMarkdownTests
{
    [Fact]
    public void The_dashboard_file_has_status_next_actions_with_the_persons_first_and_metrics()
    {
        using var plans = new BoardPlans();
        var output = new StringWriter();
        Assert.Equal(0, DashboardCommand.Run(null, plans.Services, output, TimeProvider.System));

        var text = File.ReadAllText(Path.Combine(plans.Repository.Root, DashboardCommand.FileName));
        Assert.StartsWith("# Project Dashboard: repo", text, StringComparison.Ordinal);
        Assert.Contains("## Current status", text, StringComparison.Ordinal);
        Assert.Contains("4 in review · 5 active (1 blocked, 1 verified) · 2 completed", text, StringComparison.Ordinal);
        Assert.Contains("| shipped | Greeting module | completed / completed | 2/2 | 96.0 | 2 |", text, StringComparison.Ordinal);
        var actions = text[text.IndexOf("## Next actions", StringComparison.Ordinal)..];
        Assert.True(actions.IndexOf("**passed**", StringComparison.Ordinal) < actions.IndexOf("**building**", StringComparison.Ordinal), "the person's actions come first");
        Assert.DoesNotContain("**shipped**", actions[..actions.IndexOf("## Success metrics", StringComparison.Ordinal)], StringComparison.Ordinal);
        Assert.Contains("First-pass rate: 33% of 3 reviewed plan(s)", text, StringComparison.Ordinal);
    }
}
