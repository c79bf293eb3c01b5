using McpPlanServer.Clients.Hooks;
using McpPlanServer.Tests.Git;

namespace McpPlanServer.Tests.Hooks;

/// <summary>
/// Issue 11: a hook started in a linked worktree (Claude Code's <c>claude -w NAME</c> puts the session in
/// <c>.claude/worktrees/NAME</c>) guards the plan store the server uses, which lives in the main worktree and is found
/// through the common git directory, besides the plans folder as seen from the linked worktree.
/// </summary>
public sealed class LinkedWorktreeHookTests : IDisposable
{
    private readonly TemporaryGitRepository repository = new();
    private readonly string linked;
    private readonly string home;

    public LinkedWorktreeHookTests()
    {
        repository.Write(".claude/mcpplan.json", "{}\n");
        repository.Write(".claude/plans/Completed/done.md", "# Plan: Done\n");
        repository.Git("add", ".");
        repository.Git("commit", "-q", "-m", "mcpplan init");
        // Review/ and Active/ are git-ignored, so they exist only in the main worktree.
        repository.Write(".claude/plans/Active/p.md", "# Plan: P\n");
        repository.Write(".claude/plans/Review/q.md", "# Plan: Q\n");
        linked = repository.Path(".claude/worktrees/builder");
        repository.Git("worktree", "add", "-q", "-b", "builder", linked);
        home = Directory.CreateDirectory(Path.Join(repository.Outer, "home")).FullName;
    }

    private string MainPlans => repository.Path(".claude/plans");

    public static TheoryData<string, string> MainStoreEdits => new()
    {
        { "Edit", "{MAIN}/.claude/plans/Active/p.md" },
        { "Write", "{MAIN}/.claude/plans/Active/p.md" },
        { "Write", "{MAIN}/.claude/plans/Review/new.md" },
        { "MultiEdit", "{MAIN}/.claude/plans/Completed/done.md" },
        { "Write", "../../../.claude/plans/Active/p.md" },
        { "Edit", "../../plans/Review/q.md" },
        { "Write", "{MAIN}/.claude/worktrees/builder/../../plans/Active/p.md" },
    };

    [Theory]
    [MemberData(nameof(MainStoreEdits))]
    public void An_implementer_in_a_linked_worktree_cannot_edit_the_main_worktrees_plans(string tool, string path)
    {
        var run = Run(tool, Expand(path), linked);

        Assert.Equal(HookOutcome.Deny, run.Outcome);
        Assert.Contains("plans folder", run.Reason);
    }

    [Theory]
    [InlineData("echo x > ../../../.claude/plans/Active/p.md")]
    [InlineData("echo x >> {MAIN}/.claude/plans/Review/q.md")]
    [InlineData("cp src.txt ../../plans/Active/p.md")]
    [InlineData("cp src.txt {MAIN}/.claude/plans/Active/")]
    [InlineData("sed -i s/P/X/ ../../../.claude/plans/Active/p.md")]
    [InlineData("mv ../../../.claude/plans/Review/q.md /tmp/q.md")]
    [InlineData("rm -rf {MAIN}/.claude/plans")]
    [InlineData("tee ../../../.claude/plans/Active/p.md < /dev/null")]
    [InlineData("cd ../../.. && echo x > .claude/plans/Active/p.md")]
    [InlineData("cd {MAIN}/.claude/plans/Active && sed -i s/P/X/ p.md")]
    [InlineData("ln -s {MAIN}/.claude/plans/Active plans-link && echo x > plans-link/p.md")]
    [InlineData("ln -sf ../../../.claude/plans/Active/p.md link.md; echo x > link.md")]
    public void An_implementer_in_a_linked_worktree_cannot_write_the_main_worktrees_plans_through_bash(string command)
    {
        var run = Run("Bash", Expand(command), linked);

        Assert.Equal(HookOutcome.Deny, run.Outcome);
    }

    [Fact]
    public void A_link_made_earlier_to_the_main_worktrees_plans_is_followed_when_written_through()
    {
        File.CreateSymbolicLink(Path.Join(linked, "plans-link"), Path.Join(MainPlans, "Active"));

        Assert.Equal(HookOutcome.Deny, Run("Write", "plans-link/p.md", linked).Outcome);
        Assert.Equal(HookOutcome.Deny, Run("Bash", "echo x > plans-link/p.md", linked).Outcome);
    }

    [Theory]
    [InlineData("git -C {MAIN} checkout -- .claude/plans/Completed/done.md")]
    [InlineData("git -C {MAIN} rm -q .claude/plans/Completed/done.md")]
    [InlineData("git -C ../../.. clean -fdx")]
    [InlineData("git -C {MAIN} reset --hard HEAD")]
    [InlineData("git --work-tree={MAIN} checkout HEAD -- .")]
    [InlineData("cd {MAIN} && git stash -u")]
    public void An_implementer_in_a_linked_worktree_cannot_change_the_main_worktree_through_git(string command)
    {
        var run = Run("Bash", Expand(command), linked);

        Assert.Equal(HookOutcome.Deny, run.Outcome);
        Assert.Contains("main worktree", run.Reason);
    }

    [Fact]
    public void The_plans_folder_as_seen_from_the_linked_worktree_is_guarded_too()
    {
        Directory.CreateDirectory(Path.Join(linked, ".claude", "plans", "Active"));

        Assert.Equal(HookOutcome.Deny, Run("Write", ".claude/plans/Active/p.md", linked).Outcome);
        Assert.Equal(HookOutcome.Deny, Run("Bash", "echo x > .claude/plans/Completed/done.md", linked).Outcome);
        Assert.Equal(HookOutcome.Deny, Run("Edit", Path.Join(linked, ".claude", "plans", "Completed", "done.md"), linked).Outcome);
    }

    [Theory]
    [InlineData("Write", "src/app.cs")]
    [InlineData("Bash", "echo x > src/app.cs && git add src/app.cs && git status")]
    [InlineData("Bash", "git -C {LINKED} add -A")]
    [InlineData("Bash", "git -C {MAIN} log --oneline -3")]
    [InlineData("Bash", "cat {MAIN}/.claude/plans/Active/p.md")]
    public void The_implementers_own_work_in_the_linked_worktree_and_reads_of_the_main_one_pass(string tool, string pathOrCommand)
    {
        Assert.Equal(HookOutcome.Allow, Run(tool, Expand(pathOrCommand), linked).Outcome);
    }

    [Fact]
    public void The_main_worktrees_protected_settings_are_protected_from_the_linked_worktree()
    {
        var run = Run("Write", Path.Join(repository.Root, ".mcp.json"), linked);
        var bash = Run("Bash", "echo '{}' > ../../../.claude/settings.json", linked);

        Assert.Equal(HookOutcome.Deny, run.Outcome);
        Assert.Contains("protected", run.Reason);
        Assert.Equal(HookOutcome.Deny, bash.Outcome);
    }

    [Fact]
    public void A_planner_in_a_linked_worktree_does_not_write_into_the_main_worktree_either()
    {
        var run = HookRun.Execute(HookRun.Payload("Bash", HookRun.ToolInput("Bash", Expand("echo x > {MAIN}/src/app.cs")), linked), "planner", new HookEnvironment(linked, home));

        Assert.Equal(HookOutcome.Deny, run.Outcome);
    }

    public void Dispose() => repository.Dispose();

    private string Expand(string text) => text.Replace("{MAIN}", repository.Root, StringComparison.Ordinal).Replace("{LINKED}", linked, StringComparison.Ordinal);

    /// <summary>As Claude Code runs the hook in a <c>claude -w</c> session: the project folder is the linked worktree.</summary>
    private HookRun Run(string tool, string pathOrCommand, string cwd) =>
        HookRun.Execute(HookRun.Payload(tool, HookRun.ToolInput(tool, pathOrCommand), cwd), "implementer", new HookEnvironment(linked, home));
}
