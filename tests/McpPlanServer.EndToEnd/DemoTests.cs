using McpPlanServer.EndToEnd.Support;

namespace McpPlanServer.EndToEnd;

/// <summary>The README's first command: the demo runs the whole loop with real processes and says so.</summary>
public sealed class DemoTests
{
    [Fact]
    public async Task The_demo_runs_the_whole_workflow_and_cleans_up()
    {
        var result = await ProcessRunner.RunAsync(Executable.Path, ["demo"], Path.GetTempPath(), timeout: TimeSpan.FromMinutes(6));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("refused: ", result.Output);
        Assert.Contains("'write_plan' is a tool of the planner", result.Output);
        Assert.Contains("-> changes_requested, finding R1-F1", result.Output);
        Assert.Contains("'Greeting module': 2 steps", result.Output);
        Assert.Contains("1. Create the template in src/greeting.txt", result.Output);
        Assert.Contains("Q: Should the template end with a newline?", result.Output);
        Assert.Contains("await_answer                       answered", result.Output);
        Assert.Contains("A: Yes, one trailing newline.", result.Output);
        Assert.Contains("R1-F1 (major, tests/greeting_test.sh:1): The test is not executable", result.Output);
        Assert.Contains("Approved 'greeting' text revision 1", result.Output);
        Assert.Contains("mcpplan demo --keep", result.Output);
        Assert.Contains("mcpplan show greeting and mcpplan log greeting", result.Output);
        Assert.DoesNotContain("Claude Zero", result.Output);
        Assert.Contains("-> verified", result.Output);
        Assert.Contains("## Verification report", result.Output);
        Assert.Contains("- Success criteria met (2/2)", result.Output);
        Assert.Contains("- Security checklist complete (1/1)", result.Output);
        Assert.Contains("on a clean checkout of commit", result.Output);
        Assert.Contains("Critical issues: None", result.Output);
        Assert.Contains("greeting  completed  completed   2/2", result.Output);
        var log = result.Output.Split("$ git log")[1].Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(4).Select(line => line[8..]).ToArray();
        Assert.Equal(["Make the test executable | greeting 2", "Add the greeting test | greeting 2", "Add the greeting template | greeting 1", "Initial commit |  "], log);
        var folder = result.Output.Split('\n')[0].Split("scratch repository ")[1].Trim();
        Assert.False(Directory.Exists(folder), "the scratch repository should be removed without --keep");
        Assert.Equal(string.Empty, result.Error.Trim());
    }
}
