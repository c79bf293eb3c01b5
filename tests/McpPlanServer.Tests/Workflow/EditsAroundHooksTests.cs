using McpPlanServer.Core.Evidence;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;

namespace McpPlanServer.Tests.Workflow;

/// <summary>
/// Clients without hooks: edits the implementer's hook would have denied (client settings, the plans folder) are found in
/// git afterwards, committed around commit_step or left uncommitted, and reported in review_implementation and status.
/// </summary>
public sealed class EditsAroundHooksTests : IDisposable
{
    private readonly WorkflowRepository repository = new();

    [Fact]
    public void Client_settings_changed_in_a_hand_made_commit_or_the_working_tree_are_reported_and_ordinary_files_are_not()
    {
        repository.WriteAndApprove();
        repository.Git.Write(".codex/hooks.json", "{}");
        repository.Git.Write("src/value.txt", "a = 2\n");
        repository.Git.Git("add", "-f", ".codex/hooks.json", "src/value.txt");
        repository.Git.Git("commit", "-q", "-m", "switch the hook off");
        var commit = repository.Git.Head()!;
        repository.Git.Write(".codex/hooks.json", "{\"hooks\": {}}"); // and again, not committed
        repository.Git.Write(".github/hooks/mcpplan.json", "{}"); // a new file nobody added: not seen

        var plan = repository.Workflow.ReadPlan(WorkflowRepository.Id);
        var edits = repository.Workflow.EditsAroundHooks(plan);

        Assert.Equal(
            [new GuardedEdit(".codex/hooks.json", commit, GuardedEdits.ClientSettings), new GuardedEdit(".codex/hooks.json", null, GuardedEdits.ClientSettings)],
            edits);
        var warnings = repository.Workflow.ReviewImplementation(WorkflowRepository.Id, null, 0, 20_000).Warnings;
        Assert.Contains(warnings, warning => warning.StartsWith($".codex/hooks.json (client settings) was changed by commit {commit[..12]}, made outside commit_step", StringComparison.Ordinal));
        Assert.Contains(warnings, warning => warning.StartsWith(".codex/hooks.json (client settings) was changed in the working tree, not committed", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, warning => warning.Contains("src/value.txt (", StringComparison.Ordinal) || warning.Contains(".github/", StringComparison.Ordinal));
    }

    [Fact]
    public void Edits_a_hook_saw_after_the_fact_are_reported_from_the_approval_on()
    {
        var plan = repository.WriteAndApprove();
        var approvedAt = plan.Record.Approval!.At;
        using (repository.Store.AcquireLock())
        {
            repository.Store.AppendObservedEdit(new ObservedEdit(".claude/plans/Active/old.md", approvedAt.AddMinutes(-1), "cursor", "implementer")); // before approval
            repository.Store.AppendObservedEdit(new ObservedEdit(".claude/plans/Active/value.md", approvedAt.AddMinutes(1), "cursor", "implementer"));
            repository.Store.AppendObservedEdit(new ObservedEdit("src/value.txt", approvedAt.AddMinutes(2), "cursor", "planner"));
        }

        var edits = repository.Workflow.ObservedEdits(repository.Workflow.ReadPlan(WorkflowRepository.Id));

        Assert.Equal([".claude/plans/Active/value.md", "src/value.txt"], edits.Select(edit => edit.Path));
        Assert.Equal([GuardedEdits.PlansFolder, "a file the planner may not change"], edits.Select(edit => edit.Place));
        Assert.Equal(edits, repository.Workflow.EditsAroundHooks(repository.Workflow.ReadPlan(WorkflowRepository.Id)));
        var warnings = repository.Workflow.ReviewImplementation(WorkflowRepository.Id, null, 0, 20_000).Warnings;
        Assert.Contains(warnings, warning => warning.StartsWith(".claude/plans/Active/value.md (the plans folder) was edited in cursor by a session with role implementer", StringComparison.Ordinal)
            && warning.Contains("after it happened and could not block it", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, warning => warning.Contains("old.md", StringComparison.Ordinal));
    }

    [Fact]
    public void The_observed_edits_file_keeps_the_latest_entries_and_skips_a_broken_line()
    {
        var at = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
        var content = "not json\n{\"path\":1}\n"u8.ToArray();
        for (var i = 0; i < ObservedEditFile.MaxEntries + 5; i++)
        {
            content = ObservedEditFile.Append(content, new ObservedEdit($"p{i}.md", at.AddSeconds(i), "cursor", "implementer"));
        }

        var kept = ObservedEditFile.Parse(content);

        Assert.Equal(ObservedEditFile.MaxEntries, kept.Count);
        Assert.Equal("p5.md", kept[0].Path);
        Assert.Equal(new ObservedEdit($"p{ObservedEditFile.MaxEntries + 4}.md", at.AddSeconds(ObservedEditFile.MaxEntries + 4), "cursor", "implementer"), kept[^1]);
    }

    [Fact]
    public void Nothing_is_reported_before_an_approval()
    {
        repository.Git.Write(".mcp.json", "{\"mcpServers\": {}}");
        repository.Workflow.WritePlan(Core.Lifecycle.Actor.Planner, WorkflowRepository.Id, WorkflowRepository.PlanText, null);

        Assert.Empty(repository.Workflow.EditsAroundHooks(repository.Workflow.ReadPlan(WorkflowRepository.Id)));
    }

    [Fact]
    public void Step_commits_never_count()
    {
        repository.ImplementBothSteps();

        Assert.Empty(repository.Workflow.EditsAroundHooks(repository.Workflow.ReadPlan(WorkflowRepository.Id)));
    }

    [Theory]
    [InlineData(".claude/plans/Active/value.md", GuardedEdits.PlansFolder)]
    [InlineData(".claude/plans/Active/value.record.json", GuardedEdits.PlansFolder)]
    [InlineData(".mcp.json", GuardedEdits.ClientSettings)]
    [InlineData(".claude/settings.json", GuardedEdits.ClientSettings)]
    [InlineData(".cursor/hooks.json", GuardedEdits.ClientSettings)]
    [InlineData(".gemini/settings.json", GuardedEdits.ClientSettings)]
    [InlineData(".vscode/mcp.json", GuardedEdits.ClientSettings)]
    [InlineData("src/.mcp.json", null)]
    [InlineData(".cursor/rules.md", null)]
    [InlineData(".github/workflows/ci.yml", null)]
    [InlineData(".claude-plans/x.md", null)]
    public void Each_path_is_judged_by_its_components(string path, string? place)
    {
        Assert.Equal(place, GuardedEdits.Place(path, ".claude/plans"));

        var commit = new CommitFacts("0123456789abcdef0123", "s", "s", "a", DateTimeOffset.UnixEpoch, new Dictionary<string, IReadOnlyList<string>>(), [new FileChange(path, FileChangeKind.Modified, 1, 0, false)]);
        Assert.Equal(place is null ? 0 : 2, GuardedEdits.Find([commit], [new WorkingChange(path, "modified", false), new WorkingChange(path, "untracked", false)], ".claude/plans").Count);
    }

    public void Dispose() => repository.Dispose();
}
