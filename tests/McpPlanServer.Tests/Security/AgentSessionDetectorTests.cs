using McpPlanServer.Cli.Security;
using McpPlanServer.Core.Security;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Tests.Security;

public sealed class AgentSessionDetectorTests
{
    private static readonly Dictionary<string, string> Clean = new() { ["PATH"] = "/usr/bin", ["HOME"] = "/home/ada" };

    /// <summary>A person's terminal: mcpplan (100) &lt; bash (50) &lt; gnome-terminal (10) &lt; init (1).</summary>
    private static FakeProcessTable PersonsTerminal() => new FakeProcessTable()
        .Add(100, 50, ["/usr/local/bin/mcpplan", "approve", "x"])
        .Add(50, 10, ["-bash"], Clean)
        .Add(10, 1, ["/usr/libexec/gnome-terminal-server"], Clean)
        .Add(1, null, ["/sbin/init"]);

    [Fact]
    public void A_persons_terminal_is_no_agent_session_and_the_chain_is_kept_as_evidence()
    {
        var report = AgentSessionDetector.Inspect(Clean, PersonsTerminal(), 100, terminal: true);

        Assert.False(report.IsAgentSession);
        Assert.Equal(["-bash", "gnome-terminal-server", "init"], report.ProcessChain);
        Assert.True(report.ToEvidence().Terminal);
        Assert.Empty(report.ToEvidence().MarkersSeen);
    }

    [Theory]
    [InlineData("CLAUDECODE", "1")]
    [InlineData("CLAUDE_CODE_ENTRYPOINT", "cli")]
    [InlineData("MCPPLAN_ROLE", "observer")]
    [InlineData("CODEX_SANDBOX_NETWORK_DISABLED", "1")]
    [InlineData("GEMINI_CLI", "1")]
    [InlineData("CURSOR_TRACE_ID", "abc")]
    [InlineData("TERM_PROGRAM", "vscode")]
    public void A_marker_in_the_own_environment_is_an_agent_session(string name, string value)
    {
        var report = AgentSessionDetector.Inspect(new Dictionary<string, string>(Clean) { [name] = value }, PersonsTerminal(), 100, terminal: true);

        Assert.True(report.IsAgentSession);
        Assert.Contains(name, report.MarkersSeen);
        Assert.Contains($"{name} is set in this process's environment", report.Signals[0]);
    }

    [Theory]
    [InlineData("TERM_PROGRAM", "iTerm.app")]
    [InlineData("CLAUDECODE", "")]
    public void A_variable_whose_value_marks_nothing_is_not_a_marker(string name, string value)
    {
        var report = AgentSessionDetector.Inspect(new Dictionary<string, string>(Clean) { [name] = value }, PersonsTerminal(), 100, terminal: true);

        Assert.False(report.IsAgentSession);
    }

    [Fact]
    public void A_marker_stripped_from_the_own_environment_is_still_seen_on_the_ancestor_that_carries_it()
    {
        var table = new FakeProcessTable()
            .Add(100, 60, ["/usr/local/bin/mcpplan", "approve", "x"])
            .Add(60, 50, ["env", "-u", "CLAUDECODE", "mcpplan"], Clean)
            .Add(50, 1, ["/bin/bash", "-c", "env -u CLAUDECODE mcpplan approve x"], new Dictionary<string, string>(Clean) { ["CLAUDECODE"] = "1" })
            .Add(1, null, ["/sbin/init"]);

        var report = AgentSessionDetector.Inspect(Clean, table, 100, terminal: false);

        Assert.True(report.IsAgentSession);
        Assert.Equal("ancestor process 50 (bash) carries CLAUDECODE (Claude Code)", Assert.Single(report.Signals));
    }

    [Theory]
    [InlineData(new[] { "claude" }, "claude")]
    [InlineData(new[] { "/home/ada/.local/bin/codex", "exec" }, "codex")]
    [InlineData(new[] { "node", "/usr/lib/node_modules/@google/gemini-cli/dist/index.js" }, "@google/gemini-cli")]
    [InlineData(new[] { "/usr/bin/node", "--no-warnings", "/opt/npm/@openai/codex/bin/codex.js" }, "@openai/codex")]
    [InlineData(new[] { "cursor-agent" }, "cursor-agent")]
    public void A_client_process_in_the_ancestry_is_an_agent_session_with_a_clean_environment(string[] clientCommandLine, string named)
    {
        var table = new FakeProcessTable()
            .Add(100, 50, ["/usr/local/bin/mcpplan", "approve", "x"])
            .Add(50, 40, ["/bin/bash"], Clean)
            .Add(40, 1, clientCommandLine, Clean)
            .Add(1, null, ["/sbin/init"]);

        var report = AgentSessionDetector.Inspect(Clean, table, 100, terminal: true);

        Assert.True(report.IsAgentSession);
        Assert.EndsWith($"is {named}", Assert.Single(report.Signals));
    }

    [Fact]
    public void A_loop_in_a_broken_process_table_ends()
    {
        var table = new FakeProcessTable().Add(100, 50, ["mcpplan"]).Add(50, 60, ["a"], Clean).Add(60, 50, ["b"], Clean);

        var report = AgentSessionDetector.Inspect(Clean, table, 100, terminal: false);

        Assert.Equal(["a", "b"], report.ProcessChain);
    }

    [Fact]
    public void Where_processes_cannot_be_inspected_only_the_own_environment_counts_and_the_report_says_so()
    {
        var table = new FakeProcessTable { CanInspect = false }.Add(100, 50, ["mcpplan"]).Add(50, 1, ["claude"]);

        var report = AgentSessionDetector.Inspect(Clean, table, 100, terminal: true);

        Assert.False(report.IsAgentSession);
        Assert.False(report.AncestryChecked);
        Assert.Empty(report.ProcessChain);
    }

    [Fact]
    public void The_refusal_names_what_was_seen_and_where_the_person_decides()
    {
        var report = AgentSessionDetector.Inspect(new Dictionary<string, string>(Clean) { ["CLAUDECODE"] = "1" }, PersonsTerminal(), 100, terminal: true);

        var refusal = Assert.Throws<PlanRefusedException>(() => OwnerSession.RequirePerson(report, "approve"));

        Assert.Equal("agent_session", refusal.Code);
        Assert.Contains("CLAUDECODE", refusal.Message);
        Assert.Contains("a terminal you opened yourself", refusal.Message);
        Assert.Contains("board", refusal.Message);
    }

    [Fact]
    public void The_marker_list_is_one_list_of_distinct_names_with_the_clients_documented()
    {
        Assert.Equal(AgentSessionMarkers.VariableNames.Count, AgentSessionMarkers.VariableNames.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("CLAUDECODE", AgentSessionMarkers.VariableNames);
        Assert.Equal("Claude Code", AgentSessionMarkers.ClientOf("CLAUDECODE", "1"));
        Assert.Null(AgentSessionMarkers.ClientOf("PATH", "/usr/bin"));
    }

    [Fact]
    public void The_real_proc_table_reads_this_process_and_its_parent()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "/proc is Linux's.");
        var table = new ProcProcessTable();

        Assert.True(table.CanInspect);
        Assert.NotNull(table.ParentOf(Environment.ProcessId));
        Assert.NotEmpty(table.CommandLine(Environment.ProcessId));
        Assert.Equal(Environment.GetEnvironmentVariable("PATH"), table.Environment(Environment.ProcessId)["PATH"]);
    }
}
