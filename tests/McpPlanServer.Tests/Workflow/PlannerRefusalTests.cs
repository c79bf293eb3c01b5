using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Tests.Workflow;

/// <summary>
/// Every refusal of the planner's commands, in process: each names the fix and changes nothing (HEAD, index, every file).
/// Revisions are compared against what the planner read, so a write based on a stale read never lands.
/// </summary>
public sealed class PlannerRefusalTests : IDisposable
{
    private readonly WorkflowRepository repository = new();

    private PlanWorkflow Workflow => repository.Workflow;

    [Fact]
    public void A_revision_based_on_a_stale_read_is_refused_and_the_current_text_stays()
    {
        Workflow.WritePlan(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.PlanText, null);
        Workflow.WritePlan(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.PlanText + "\nA second thought.\n", 1);

        var stale = repository.Refused("stale_revision", () => Workflow.WritePlan(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.PlanText + "\nMy own edit.\n", 1));

        Assert.Contains("text revision 2, not 1", stale.Message);
        Assert.Contains("expected_revision=2", stale.Message);
        Assert.Contains("A second thought.", Workflow.ReadPlan(WorkflowRepository.Id).Text);
    }

    [Fact]
    public void Revising_without_an_expected_revision_and_creating_with_one_are_both_refused()
    {
        repository.Refused("stale_revision", () => Workflow.WritePlan(Actor.Planner, "fresh", WorkflowRepository.PlanText, 3));
        Workflow.WritePlan(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.PlanText, null);

        var required = repository.Refused("revision_required", () => Workflow.WritePlan(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.PlanText + "\n", null));

        Assert.Contains("expected_revision=1", required.Message);
        Assert.Contains("choose another id", required.Message);
    }

    [Fact]
    public void A_plan_with_lint_errors_is_refused_with_every_finding_and_nothing_is_written()
    {
        var refusal = repository.Refused("lint_errors", () => Workflow.WritePlan(Actor.Planner, "broken", "just some text\n\n## Files to Modify\n### 1. ../outside.txt\n", null));

        Assert.Contains("nothing was written", refusal.Message);
        Assert.Contains("broken.md", refusal.Message);
        Assert.Contains("PL001", refusal.Message);
        Assert.Contains("PL002", refusal.Message);
        Assert.DoesNotContain("PL003", refusal.Message);
        Assert.Contains("PL005", refusal.Message);
        Assert.Empty(Workflow.ListPlans());

        var malformed = repository.Refused("lint_errors", () => Workflow.WritePlan(Actor.Planner, "malformed", "no title\n\n### stray heading\n- [ ] a box\n```\nunclosed fence\n", null));
        Assert.Contains("malformed.md", malformed.Message);
        Assert.Contains("Summary", malformed.Message);
    }

    [Fact]
    public void A_plan_over_the_size_limit_is_refused_naming_the_limit_without_echoing_the_text()
    {
        var refusal = repository.Refused("plan_too_large", () => Workflow.WritePlan(Actor.Planner, "huge", WorkflowRepository.PlanText + new string('x', 300_000), null));

        Assert.Contains("262,144", refusal.Message);
        Assert.Contains("maxPlanBytes", refusal.Message);
        Assert.True(refusal.Message.Length < 2000, "the refusal must not echo the text back");
    }

    [Fact]
    public void A_plan_with_a_NUL_character_or_nesting_past_the_parser_limit_is_refused()
    {
        repository.Refused("invalid_text", () => Workflow.WritePlan(Actor.Planner, "nul-text", WorkflowRepository.PlanText + "\0", null));
        var nested = string.Concat(Enumerable.Repeat("> ", 5_000)) + "deep\n";

        repository.Refused("plan_too_deeply_nested", () => Workflow.WritePlan(Actor.Planner, "nested-text", WorkflowRepository.PlanText + "\n" + nested, null));
    }

    [Fact]
    public void Only_the_planner_writes_plans_and_a_plan_in_review_takes_no_blocker_answer()
    {
        repository.Refused("wrong_role", () => Workflow.WritePlan(Actor.Implementer, WorkflowRepository.Id, WorkflowRepository.PlanText, null));
        Workflow.WritePlan(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.PlanText, null);

        repository.Refused("wrong_state", () => Workflow.AnswerBlocker(Actor.Planner, WorkflowRepository.Id, 1, "Use the staging secret."));
    }

    [Fact]
    public void A_blocker_is_answered_once_and_an_unknown_one_is_refused_naming_the_open_ones()
    {
        repository.WriteAndApprove();
        var reported = Workflow.ReportBlocker(Actor.Implementer, WorkflowRepository.Id, 1, "Which value?");
        Assert.Equal(PlanStatus.Blocked, reported.Plan.State.Status);
        Workflow.ReportBlocker(Actor.Implementer, WorkflowRepository.Id, 2, "Which check?");

        var unknown = repository.Refused("blocker_not_found", () => Workflow.AnswerBlocker(Actor.Planner, WorkflowRepository.Id, 7, "2"));
        Assert.Contains("Open blockers: 1, 2", unknown.Message);
        repository.Refused("invalid_argument", () => Workflow.AnswerBlocker(Actor.Planner, WorkflowRepository.Id, 1, "  "));
        repository.Refused("invalid_argument", () => Workflow.AnswerBlocker(Actor.Planner, WorkflowRepository.Id, 1, new string('a', 20_001)));

        var answered = Workflow.AnswerBlocker(Actor.Planner, WorkflowRepository.Id, 1, "a = 2");
        Assert.Equal(PlanStatus.Blocked, answered.Plan.State.Status);
        Assert.Equal("a = 2", answered.Blocker.Answer);
        Assert.Equal(answered.Plan.Record.Revision, Workflow.ReadPlan(WorkflowRepository.Id).Record.Revision);
        repository.Refused("blocker_answered", () => Workflow.AnswerBlocker(Actor.Planner, WorkflowRepository.Id, 1, "a = 3"));
        Assert.Equal(PlanStatus.Implementing, Workflow.AnswerBlocker(Actor.Planner, WorkflowRepository.Id, 2, "sh tests/check.sh").Plan.State.Status);
    }

    [Fact]
    public void A_blocker_on_a_step_the_plan_does_not_have_is_refused()
    {
        repository.WriteAndApprove();

        var refusal = repository.Refused("unknown_step", () => Workflow.ReportBlocker(Actor.Implementer, WorkflowRepository.Id, 3, "What is step 3?"));

        Assert.Contains("steps 1-2", refusal.Message);
        repository.Refused("invalid_argument", () => Workflow.ReportBlocker(Actor.Implementer, WorkflowRepository.Id, null, "with a \0 in it"));
    }

    public void Dispose() => repository.Dispose();
}
