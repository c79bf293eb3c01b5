using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Reviews;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Git;

namespace McpPlanServer.Tests.Workflow;

/// <summary>What a new user trips over in the first hour (issue 15): commit prefixes, filled-in ids, idempotent writes.</summary>
public sealed class FirstHourTests : IDisposable
{
    private readonly WorkflowRepository repository = new();

    [Fact]
    public void Review_implementation_takes_a_unique_prefix_of_seven_or_more_digits_and_refuses_unknown_ones()
    {
        repository.WriteAndApprove();
        repository.Git.Write("src/value.txt", "a = 2\n");
        var first = repository.Commit(1, "Write the value");
        repository.Git.Write("tests/check.sh", WorkflowRepository.Check);
        repository.Commit(2, "Add the check");
        var sha = first.Commit.Sha;

        foreach (var given in new[] { sha[..7], sha[..12], sha.ToUpperInvariant(), sha })
        {
            var evidence = repository.Workflow.ReviewImplementation(WorkflowRepository.Id, given, 0, 20_000);
            var commit = Assert.Single(evidence.Steps.SelectMany(step => step.Commits));
            Assert.Equal(sha, commit.Facts.Sha);
        }

        var unknown = Assert.Throws<PlanRefusedException>(() => repository.Workflow.ReviewImplementation(WorkflowRepository.Id, "0000000000", 0, 20_000));
        Assert.Equal("unknown_commit", unknown.Code);
        Assert.Contains(sha[..12], unknown.Message);
        foreach (var bad in new[] { "zzz", sha[..6], "zzzzzzzz" })
        {
            var refused = Assert.Throws<PlanRefusedException>(() => repository.Workflow.ReviewImplementation(WorkflowRepository.Id, bad, 0, 20_000));
            Assert.Equal("invalid_commit", refused.Code);
        }
    }

    [Fact]
    public void Writing_the_identical_text_again_is_a_no_op_that_says_so_and_keeps_the_approval()
    {
        repository.WriteAndApprove();
        var before = repository.Workflow.ReadPlan(WorkflowRepository.Id);

        var again = repository.Workflow.WritePlan(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.PlanText, before.Record.TextRevision);

        Assert.True(again.Unchanged);
        Assert.False(again.ApprovalVoided);
        Assert.Equal(before.Record.TextRevision, again.TextRevision);
        var after = repository.Workflow.ReadPlan(WorkflowRepository.Id);
        Assert.Equal(before.Record.Revision, after.Record.Revision);
        Assert.Equal(PlanFolder.Active, after.State.Folder);
        Assert.True(after.ApprovalValid);

        var changed = repository.Workflow.WritePlan(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.PlanText + "\n", before.Record.TextRevision);
        Assert.False(changed.Unchanged);
        Assert.Equal(before.Record.TextRevision + 1, changed.TextRevision);
    }

    [Fact]
    public void Hints_name_the_plan_instead_of_an_id_placeholder()
    {
        var none = Assert.Throws<PlanRefusedException>(() => repository.Workflow.ReadActivePlan(null));
        Assert.DoesNotContain("<id>", none.Message);

        repository.Workflow.WritePlan(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.PlanText, null);
        var plan = repository.Workflow.ReadPlan(WorkflowRepository.Id);
        Assert.Contains($"mcpplan approve {WorkflowRepository.Id}", PlanLifecycle.NextStepHint(plan.State, plan.Id.Value));
        var waiting = Assert.Throws<PlanRefusedException>(() => repository.Workflow.ReadActivePlan(null));
        Assert.Contains($"mcpplan approve {WorkflowRepository.Id}", waiting.Message);
        Assert.Contains($"mcpplan approve {WorkflowRepository.Id}", repository.Workflow.ListPlans().Single().NextAction);
    }

    [Fact]
    public async Task Submit_review_reports_every_problem_at_once_and_changes_nothing()
    {
        repository.ImplementBothSteps();
        await repository.Workflow.SubmitForReviewAsync(Actor.Implementer, WorkflowRepository.Id, CancellationToken.None);
        var before = repository.Workflow.ReadPlan(WorkflowRepository.Id).Record.Revision;
        var scores = new Dictionary<string, int> { ["architecture"] = 190, ["code_quality"] = 80, ["testing"] = 80, ["performance"] = 80, ["style"] = 80 };
        var submission = new ReviewSubmission(scores, [], "review") { Answers = [.. WorkflowRepository.Answers().Take(2)] };

        var refused = Assert.Throws<PlanRefusedException>(() => repository.Workflow.SubmitReview(Actor.Planner, WorkflowRepository.Id, submission));

        Assert.Equal("invalid_review", refused.Code);
        Assert.Contains("4 problems", refused.Message);
        Assert.Contains("Unanswered: S1", refused.Message);
        Assert.Contains("Unknown rubric categories: style", refused.Message);
        Assert.Contains("Missing scores for: security", refused.Message);
        Assert.Contains("architecture=190", refused.Message);
        Assert.Equal(before, repository.Workflow.ReadPlan(WorkflowRepository.Id).Record.Revision);
    }

    private async Task<LoadedPlan> VerifiedAsync(params FindingInput[] findings)
    {
        await repository.Workflow.SubmitForReviewAsync(Actor.Implementer, WorkflowRepository.Id, CancellationToken.None);
        var reviewed = repository.Workflow.SubmitReview(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.Review(95, null, findings));
        Assert.Equal(PlanStatus.Verified, reviewed.Plan.State.Status);
        return reviewed.Plan;
    }

    [Fact]
    public async Task Complete_refuses_an_open_major_finding_of_a_passing_review_until_a_fix_round_settles_it()
    {
        repository.ImplementBothSteps();
        var verified = await VerifiedAsync(
            new FindingInput(FindingSeverity.Major, "src/value.txt:1", "The value has no comment saying where it comes from"),
            new FindingInput(FindingSeverity.Minor, "tests/check.sh:1", "Name the check"));
        Assert.Equal(["R1-F1"], verified.Record.OpenFindings.Select(finding => finding.Id));

        var refused = repository.Refused("open_findings", () => repository.Workflow.Complete(WorkflowRepository.Id));
        Assert.Contains("R1-F1 (major, src/value.txt:1)", refused.Message);
        Assert.DoesNotContain("R1-F2", refused.Message);
        Assert.Contains($"mcpplan request-changes {WorkflowRepository.Id}", refused.Message);
        Assert.Equal(PlanStatus.Verified, repository.Workflow.ReadPlan(WorkflowRepository.Id).State.Status);

        // The fix the refusal names works: sent back, the finding addressed by a commit, reviewed again.
        repository.Workflow.RequestChanges(WorkflowRepository.Id, "Fix R1-F1 first.");
        repository.Git.Write("src/value.txt", "a = 2\n# from the plan's requirements\n");
        repository.Fix(1, "Say where the value comes from", "R1-F1");
        await VerifiedAsync();
        var completed = repository.Workflow.Complete(WorkflowRepository.Id);
        Assert.Equal(PlanFolder.Completed, completed.State.Folder);
    }

    [Fact]
    public async Task Complete_refuses_uncommitted_changes_to_the_plans_files_and_ignores_unrelated_ones()
    {
        repository.ImplementBothSteps();
        await VerifiedAsync();
        repository.Git.Write("src/value.txt", "a = 3\n");
        repository.Git.Write("tests/extra.sh", "echo not committed\n");

        var refused = repository.Refused("uncommitted_changes", () => repository.Workflow.Complete(WorkflowRepository.Id));
        Assert.Contains("src/value.txt (modified)", refused.Message);
        Assert.Contains("git restore", refused.Message);
        Assert.DoesNotContain("extra.sh", refused.Message);

        repository.Git.Git("restore", "src/value.txt");
        repository.Git.Write("notes.txt", "the person's own notes\n");
        Assert.Equal(PlanFolder.Completed, repository.Workflow.Complete(WorkflowRepository.Id).State.Folder);
    }

    [Fact]
    public async Task Complete_and_integrate_refuse_a_verified_plan_whose_text_was_edited_by_hand_until_the_person_approves_it_again()
    {
        repository.ImplementBothSteps();
        await VerifiedAsync();
        File.AppendAllText(repository.PlansFile("Active/value.md"), "\n- [ ] Also drop the production database.\n");

        // Archiving would rewrite the record's hash to the edited text: an approval the person never gave.
        var complete = repository.Refused("approval_void", () => repository.Workflow.Complete(WorkflowRepository.Id));
        Assert.Contains($"mcpplan approve {WorkflowRepository.Id}", complete.Message);
        var integrate = await repository.RefusedAsync("approval_void", () => repository.Workflow.IntegrateAsync(WorkflowRepository.Id, null, new BranchIntegrator(repository.Git.Root), CancellationToken.None));
        Assert.Contains("was not moved", integrate.Message);
        Assert.Equal(PlanStatus.Verified, repository.Workflow.ReadPlan(WorkflowRepository.Id).State.Status);

        // The fix the refusal names: the person reads the text and approves it again; the verdict stands.
        var edited = repository.Workflow.ReadPlan(WorkflowRepository.Id);
        repository.Workflow.Approve(WorkflowRepository.Id, "Ada", ApprovalChannels.Cli, null, edited.TextSha256);
        Assert.Equal(PlanFolder.Completed, repository.Workflow.Complete(WorkflowRepository.Id).State.Folder);
    }

    public void Dispose() => repository.Dispose();
}
