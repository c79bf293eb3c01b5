using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Tests.Storage;

namespace McpPlanServer.Tests.Workflow;

/// <summary>
/// The plan index gives the answers a fresh read gives after every kind of change: a write by the workflow, a hand
/// edit, a move by hand, a record written by another process, deletions, links, and HEAD moving under an active plan.
/// </summary>
public sealed class PlanSummaryIndexTests : IDisposable
{
    private readonly WorkflowRepository repository = new();

    private string PlanFile(string folder, string id = WorkflowRepository.Id) => Path.Combine(repository.Store.RootPath, folder, id + ".md");

    private string RecordFile(string id = WorkflowRepository.Id) => Path.Combine(repository.Store.RootPath, ".records", id + ".json");

    /// <summary>Lists twice through the long-lived workflow (so the index is warm) and once through a fresh one.</summary>
    private IReadOnlyList<PlanSummary> AssertSameAsFresh()
    {
        var indexed = repository.Workflow.ListPlans();
        var fresh = repository.Restarted().ListPlans();
        Assert.Equal(fresh, indexed);
        Assert.Equal(fresh, repository.Workflow.ListPlans());
        return indexed;
    }

    [Fact]
    public void An_unchanged_plan_is_answered_from_the_index()
    {
        repository.Workflow.WritePlan(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.PlanText, null);
        var first = repository.Workflow.ListPlans().Single();
        var second = repository.Workflow.ListPlans().Single();

        Assert.Same(first, second);
        Assert.Equal(1, repository.Workflow.Index.Count);
    }

    [Fact]
    public void A_write_through_the_workflow_and_a_hand_edit_of_the_text_are_seen()
    {
        repository.Workflow.WritePlan(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.PlanText, null);
        AssertSameAsFresh();

        repository.Workflow.WritePlan(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.PlanText.Replace("Value file", "Value file, renamed", StringComparison.Ordinal), 1);
        Assert.Equal("Value file, renamed", AssertSameAsFresh().Single().Title);

        File.WriteAllText(PlanFile("Review"), WorkflowRepository.PlanText.Replace("Value file", "Edited by hand", StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(PlanFile("Review"), DateTime.UtcNow.AddMinutes(1));
        Assert.Equal("Edited by hand", AssertSameAsFresh().Single().Title);
    }

    [Fact]
    public void A_move_by_hand_and_a_record_written_by_another_process_are_seen()
    {
        repository.Workflow.WritePlan(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.PlanText, null);
        var before = AssertSameAsFresh().Single().Status;

        // Another process changes only the record (the text stays as it was): the owner sends the plan back.
        repository.Restarted().RequestChanges(WorkflowRepository.Id, "Say why the value is 2.");
        Assert.NotEqual(before, AssertSameAsFresh().Single().Status);

        Directory.CreateDirectory(Path.GetDirectoryName(PlanFile("Completed"))!);
        File.Move(PlanFile("Review"), PlanFile("Completed"));
        Assert.Equal(PlanFolder.Completed, AssertSameAsFresh().Single().Folder);
    }

    [Fact]
    public void Deleting_the_text_or_the_record_and_replacing_the_text_with_a_link_are_seen()
    {
        repository.Workflow.WritePlan(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.PlanText, null);
        repository.Workflow.WritePlan(Actor.Planner, "other", WorkflowRepository.PlanText, null);
        Assert.Equal(2, AssertSameAsFresh().Count);

        File.Delete(RecordFile("other"));
        Assert.Equal(2, AssertSameAsFresh().Count);

        File.Delete(PlanFile("Review", "other"));
        Assert.Equal(WorkflowRepository.Id, AssertSameAsFresh().Single().Id);
        Assert.Equal(1, repository.Workflow.Index.Count);

        var outside = Path.Combine(repository.Git.Outer, "outside.md");
        File.Move(PlanFile("Review"), outside);
        File.CreateSymbolicLink(PlanFile("Review"), outside);
        Assert.Empty(AssertSameAsFresh());
        Assert.Equal(0, repository.Workflow.Index.Count);
    }

    [Fact]
    public void An_active_plan_follows_head_a_step_reset_away_is_not_done_and_coming_back_restores_it()
    {
        repository.ImplementBothSteps();
        var done = repository.Git.Head()!;
        Assert.Equal(2, AssertSameAsFresh().Single().StepsDone);

        repository.Git.Git("reset", "-q", "--hard", "HEAD~1");
        Assert.Equal(1, AssertSameAsFresh().Single().StepsDone);

        repository.Git.Git("reset", "-q", "--hard", done);
        Assert.Equal(2, AssertSameAsFresh().Single().StepsDone);
    }

    [Fact]
    public void Readiness_in_a_kept_listing_follows_a_dependencys_record_written_elsewhere_a_move_by_hand_and_a_deletion()
    {
        repository.Workflow.WritePlan(Actor.Planner, "schema", WorkflowRepository.PlanText, null);
        repository.Workflow.WritePlan(Actor.Planner, "api", WorkflowRepository.PlanText.Replace("**Risk level**: Low", "**Risk level**: Low\n**Depends on**: schema", StringComparison.Ordinal), null);
        string? Readiness() => AssertSameAsFresh().Single(plan => plan.Id == "api").Readiness;

        repository.SettleFolders();
        Assert.Equal("waiting on schema (awaiting_approval)", Readiness());

        // Another process changes only schema's record (no state folder changes, so the folder listing stays kept).
        repository.Restarted().RequestChanges("schema", "Name the tables.");
        repository.SettleFolders();
        Assert.Equal("waiting on schema (changes_requested)", Readiness());

        Directory.CreateDirectory(Path.GetDirectoryName(PlanFile("Completed", "schema"))!);
        File.Move(PlanFile("Review", "schema"), PlanFile("Completed", "schema"));
        repository.SettleFolders();
        Assert.Equal(DependencyGraph.Ready, Readiness());

        File.Delete(PlanFile("Completed", "schema"));
        repository.SettleFolders();
        Assert.StartsWith("blocked: schema (no such plan)", Readiness(), StringComparison.Ordinal);
    }

    public void Dispose() => repository.Dispose();
}
