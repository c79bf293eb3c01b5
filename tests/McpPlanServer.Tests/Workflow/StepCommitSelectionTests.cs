using McpPlanServer.Core.Records;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Tests.Workflow;

/// <summary>What a step commit holds: the changed files the plan lists, declared unplanned ones, never the configuration
/// or client settings; and the approval it was made under.</summary>
public sealed class StepCommitSelectionTests : IDisposable
{
    private readonly WorkflowRepository repository = new();

    private void WriteInitsFilesAndTheStep()
    {
        repository.Git.Write(".mcp.json", "{\"mcpServers\":{}}\n");
        repository.Git.Write(".claude/settings.json", "{}\n");
        repository.Git.Write(".claude/mcpplan.json", "{}\n");
        repository.Git.Write(".gitignore", ".claude/plans/Review/\n");
        repository.Git.Write("CLAUDE.md", "# Roles\n");
        repository.Git.Write("src/value.txt", "a = 2\n");
    }

    [Fact]
    public void Without_paths_only_the_changed_files_the_plan_lists_are_committed_and_set_up_files_stay_out()
    {
        repository.WriteAndApprove();
        WriteInitsFilesAndTheStep();

        var outcome = repository.Commit(1, "Write the value");

        Assert.Equal("src/value.txt", repository.Git.Git("show", "--name-only", "--format=", outcome.Commit.Sha).Trim());
        Assert.Empty(outcome.UnplannedFiles);
        var untracked = repository.Git.Git("status", "--porcelain", "--untracked-files=all");
        Assert.Contains("?? .mcp.json", untracked);
        Assert.Contains("?? .claude/settings.json", untracked);
        Assert.Contains("?? CLAUDE.md", untracked);
    }

    [Fact]
    public void Include_unplanned_adds_declared_unplanned_files_but_never_configuration_or_client_settings()
    {
        repository.WriteAndApprove();
        WriteInitsFilesAndTheStep();

        var outcome = repository.Workflow.CommitStep(Actor.Implementer, WorkflowRepository.Id, 1, "Write the value", null, "CLAUDE.md documents the roles", null, includeUnplanned: true);

        var files = repository.Git.Git("show", "--name-only", "--format=", outcome.Commit.Sha).Trim().Split('\n');
        Assert.Equal([".gitignore", "CLAUDE.md", "src/value.txt"], files.Order(StringComparer.Ordinal));
        Assert.Equal([".gitignore", "CLAUDE.md"], outcome.UnplannedFiles);
    }

    [Theory]
    [InlineData(".mcp.json")]
    [InlineData(".claude/settings.json")]
    [InlineData(".claude/mcpplan.json")]
    [InlineData(".claude")]
    public void Naming_configuration_or_client_settings_is_refused_and_nothing_is_committed(string path)
    {
        repository.WriteAndApprove();
        WriteInitsFilesAndTheStep();
        var head = repository.Git.Head();

        var refused = Assert.Throws<PlanRefusedException>(() => repository.Commit(1, "sneak the settings in", "src/value.txt", path));

        Assert.Equal("path_protected", refused.Code);
        Assert.Equal(head, repository.Git.Head());
    }

    [Fact]
    public void With_only_unplanned_changes_the_default_refuses_and_names_them()
    {
        repository.WriteAndApprove();
        repository.Git.Write("CLAUDE.md", "# Roles\n");

        var refused = Assert.Throws<PlanRefusedException>(() => repository.Commit(1, "nothing planned"));

        Assert.Equal("nothing_to_commit", refused.Code);
        Assert.Contains("CLAUDE.md", refused.Message);
        Assert.Contains("include_unplanned", refused.Message);
    }

    [Fact]
    public void Each_step_commit_carries_the_approval_and_review_flags_one_made_under_an_earlier_approval()
    {
        var approved = repository.WriteAndApprove();
        repository.Git.Write("src/value.txt", "a = 2\n");
        var first = repository.Commit(1, "Write the value");
        var firstTag = PlanWorkflow.ApprovalTag(approved.Record.Approval!);
        Assert.Equal(16, firstTag.Length);
        Assert.Equal(firstTag, repository.Git.Git("log", "-1", "--format=%(trailers:key=Plan-Approval,valueonly)").Trim());

        var current = repository.Workflow.ReadPlan(WorkflowRepository.Id);
        repository.Workflow.WritePlan(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.PlanText + "\n## Questions for Implementer\n- None\n", current.Record.TextRevision);
        var reapproved = repository.Workflow.Approve(WorkflowRepository.Id, "Ada", ApprovalChannels.Cli, null, repository.Workflow.ReadPlan(WorkflowRepository.Id).TextSha256);
        Assert.NotEqual(firstTag, PlanWorkflow.ApprovalTag(reapproved.Record.Approval!));
        repository.Git.Write("tests/check.sh", WorkflowRepository.Check);
        repository.Commit(2, "Add the check");

        var evidence = repository.Workflow.ReviewImplementation(WorkflowRepository.Id, null, 0, 20_000);

        var stale = evidence.Steps[0].Commits.Single();
        Assert.Equal(first.Commit.Sha, stale.Facts.Sha);
        Assert.False(stale.ApprovalCurrent);
        Assert.Equal(firstTag, stale.Approval);
        Assert.True(evidence.Steps[1].Commits.Single().ApprovalCurrent);
        Assert.Contains(evidence.Warnings, warning => warning.Contains(first.Commit.Sha[..12], StringComparison.Ordinal) && warning.Contains("not the approval in force", StringComparison.Ordinal));
    }

    public void Dispose() => repository.Dispose();
}
