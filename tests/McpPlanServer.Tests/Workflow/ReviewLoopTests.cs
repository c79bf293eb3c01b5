using System.Security.Cryptography;
using System.Text;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Reviews;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Tests.Workflow;

/// <summary>The review loop: a fix round open until hand-in, every criterion answered, and the archived report.</summary>
public sealed class ReviewLoopTests : IDisposable
{
    private readonly WorkflowRepository repository = new("sh tests/check.sh");

    private static readonly FindingInput[] TwoFindings =
    [
        new(FindingSeverity.Major, "src/value.txt:1", "Add a trailing comment."),
        new(FindingSeverity.Major, "tests/check.sh:1", "Say what is checked."),
    ];

    [Fact]
    public async Task A_fix_round_takes_any_number_of_fixes_to_any_done_step_each_naming_its_findings_until_hand_in()
    {
        repository.ImplementBothSteps();
        await repository.Workflow.SubmitForReviewAsync(Actor.Implementer, WorkflowRepository.Id, CancellationToken.None);
        var (review, _) = repository.Workflow.SubmitReview(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.Review(70, null, TwoFindings));
        Assert.Equal(ReviewVerdict.ChangesRequested, review.Verdict);

        repository.Git.Write("tests/check.sh", "# checks the value\n" + WorkflowRepository.Check);
        var unnamed = Assert.Throws<PlanRefusedException>(() => repository.Commit(2, "Say what is checked"));
        Assert.Equal("findings_required", unnamed.Code);
        Assert.Contains("R1-F1, R1-F2", unnamed.Message);

        var first = repository.Fix(2, "Say what is checked", "R1-F2");
        Assert.Equal(PlanStatus.ChangesRequested, first.Plan.State.Status);
        repository.Git.Write("src/value.txt", "a = 2\n# the value\n");
        repository.Git.Write("tests/check.sh", "# checks the value, line one\n" + WorkflowRepository.Check);
        var second = repository.Fix(1, "Comment the value", "R1-F1", "src/value.txt");
        var third = repository.Fix(2, "Reword the check's comment", "R1-F2");
        Assert.Equal(PlanStatus.ChangesRequested, third.Plan.State.Status);
        Assert.Equal("R1-F1", repository.Git.Git("log", "-1", "--format=%(trailers:key=Plan-Addresses,valueonly)", second.Commit.Sha).Trim());

        var handedIn = await repository.Workflow.SubmitForReviewAsync(Actor.Implementer, WorkflowRepository.Id, CancellationToken.None);
        Assert.Equal(PlanStatus.InReview, handedIn.State.Status);
        Assert.Equal(3, handedIn.Record.Steps[1].Commits.Count);
    }

    [Fact]
    public async Task Every_criterion_and_checklist_item_must_be_answered_and_one_not_met_requests_changes_whatever_the_score()
    {
        repository.ImplementBothSteps();
        await repository.Workflow.SubmitForReviewAsync(Actor.Implementer, WorkflowRepository.Id, CancellationToken.None);

        var partial = Assert.Throws<PlanRefusedException>(() => repository.Workflow.SubmitReview(Actor.Planner, WorkflowRepository.Id,
            WorkflowRepository.Review(95, [new ChecklistAnswer("C1", string.Empty, true, "src/value.txt:1")])));
        Assert.Equal("unanswered_criteria", partial.Code);
        Assert.Contains("C2 \"sh tests/check.sh exits 0\"", partial.Message);
        Assert.Contains("S1 \"No secret is written to src/value.txt\"", partial.Message);

        var bare = Assert.Throws<PlanRefusedException>(() => repository.Workflow.SubmitReview(Actor.Planner, WorkflowRepository.Id,
            WorkflowRepository.Review(95, [.. WorkflowRepository.Answers().Select(answer => answer.Item == "S1" ? answer with { Evidence = " " } : answer)])));
        Assert.Equal("evidence_required", bare.Code);

        var (review, outcome) = repository.Workflow.SubmitReview(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.Review(99, WorkflowRepository.Answers(s1: false)));
        Assert.Equal(ReviewVerdict.ChangesRequested, review.Verdict);
        Assert.Contains("S1 not met", outcome.Reason);
        Assert.Equal(["C1", "C2", "S1"], review.Answers.Select(answer => answer.Item));
        Assert.Equal("No secret is written to src/value.txt", review.Answers[2].Text);
    }

    [Fact]
    public async Task Completing_ticks_the_met_items_in_the_source_text_appends_the_report_and_the_archive_keeps_its_approval()
    {
        repository.ImplementBothSteps();
        await repository.Workflow.SubmitForReviewAsync(Actor.Implementer, WorkflowRepository.Id, CancellationToken.None);
        repository.Workflow.SubmitReview(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.Review(95, null, new FindingInput(FindingSeverity.Minor, "tests/check.sh:1", "Consider set -e.")));
        var verifiedCommit = repository.Git.Head()!;

        repository.Workflow.Complete(WorkflowRepository.Id);

        var archived = repository.Workflow.ReadPlan(WorkflowRepository.Id);
        var text = File.ReadAllText(Path.Join(repository.Git.Root, ".claude/plans/Completed/value.md"));
        Assert.Equal(text, archived.Text);
        Assert.StartsWith(WorkflowRepository.PlanText
            .Replace("- [ ] `src/value.txt` holds", "- [x] `src/value.txt` holds", StringComparison.Ordinal)
            .Replace("- [ ] `sh tests", "- [x] `sh tests", StringComparison.Ordinal)
            .Replace("- [ ] No secret", "- [x] No secret", StringComparison.Ordinal), text);
        Assert.Contains("## Verification report", text);
        Assert.Contains("- Success criteria met (2/2)", text);
        Assert.Contains("- Security checklist complete (1/1)", text);
        Assert.Contains($"passed (exit 0, ", text);
        Assert.Contains($"on a clean checkout of commit {verifiedCommit[..12]}", text);
        Assert.Contains("1. Consider set -e. (tests/check.sh:1)", text);
        Assert.Contains("Critical issues: None", text);
        Assert.Contains("| testing | 25 | 95 |", text);
        Assert.Equal(2, archived.Document.SuccessCriteria.Count(criterion => criterion.Checked));

        // The record follows the archived text, and the approval carries over to exactly that text.
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))), archived.Record.TextSha256);
        Assert.True(archived.ApprovalValid);
        Assert.True(repository.Restarted().ListPlans().Single().ApprovalValid);
    }

    [Fact]
    public void Ticking_edits_only_the_checkbox_of_the_named_lines_and_keeps_CRLF()
    {
        var text = "- [ ] one\r\n- [ ] two [ ]\r\n- [ ] three";

        Assert.Equal("- [ ] one\r\n- [x] two [ ]\r\n- [x] three", VerificationReport.Tick(text, [2, 3]));
    }

    public void Dispose() => repository.Dispose();
}
