using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Git;

namespace McpPlanServer.Tests.Workflow;

/// <summary>
/// The person's decisions, in process: an approval binds the text they read (its hash), a risky plan needs a person's
/// channel, a record or journal line mcpplan did not write stops every decision until the person repairs it, and only a
/// verified plan is integrated. Every refusal leaves HEAD, the index and every file as they were.
/// </summary>
public sealed class OwnerRefusalTests : IDisposable
{
    private readonly WorkflowRepository repository = new(config: new PlanServerConfig { PersonChannelFromRisk = RiskLevel.Low });

    private PlanWorkflow Workflow => repository.Workflow;

    private LoadedPlan Written()
    {
        Workflow.WritePlan(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.PlanText, null);
        return Workflow.ReadPlan(WorkflowRepository.Id);
    }

    [Fact]
    public void Approval_needs_the_hash_of_the_text_read_and_a_revision_written_in_between_is_refused()
    {
        var read = Written();
        var missing = repository.Refused("sha_required", () => Workflow.Approve(WorkflowRepository.Id, "Ada", ApprovalChannels.Cli, null, null));
        Assert.Contains($"--sha {read.TextSha256[..16]}", missing.Message);
        repository.Refused("invalid_argument", () => Workflow.Approve(WorkflowRepository.Id, "Ada", ApprovalChannels.Cli, null, read.TextSha256[..7]));
        repository.Refused("invalid_argument", () => Workflow.Approve(WorkflowRepository.Id, "Ada", ApprovalChannels.Cli, null, "not-hex-at-all"));

        Workflow.WritePlan(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.PlanText + "\nWritten after the person read it.\n", 1);
        var changed = repository.Refused("plan_changed", () => Workflow.Approve(WorkflowRepository.Id, "Ada", ApprovalChannels.Cli, null, read.TextSha256[..PlanWorkflow.MinimumShaPrefix]));

        Assert.Contains("Nothing was approved", changed.Message);
        Assert.Equal(PlanFolder.Review, Workflow.ReadPlan(WorkflowRepository.Id).State.Folder);
    }

    [Fact]
    public void A_plan_placed_in_review_by_hand_with_lint_errors_cannot_be_approved()
    {
        Directory.CreateDirectory(repository.PlansFile("Review"));
        File.WriteAllText(repository.PlansFile("Review/rough.md"), "no title, no sections\n");
        var sha = Workflow.ReadPlan("rough").TextSha256;

        var refusal = repository.Refused("lint_errors", () => Workflow.Approve("rough", "Ada", ApprovalChannels.Cli, null, sha));

        Assert.Contains("cannot be approved", refusal.Message);
        Assert.Contains("PL001", refusal.Message);
    }

    [Fact]
    public void A_plan_at_or_above_the_configured_risk_needs_a_persons_channel_and_the_form_or_a_script_is_refused()
    {
        var plan = Written();
        var script = new ApprovalEvidence(false, ["bash"], []);

        var refusal = repository.Refused("person_channel_required", () => Workflow.Approve(WorkflowRepository.Id, "Ada", ApprovalChannels.Cli, script, plan.TextSha256));
        Assert.Contains("Nothing was approved", refusal.Message);
        repository.Refused("person_channel_required", () => Workflow.Approve(WorkflowRepository.Id, "Claude (form)", ApprovalChannels.Elicitation, new ApprovalEvidence(false, [], [], "claude-code"), plan.TextSha256));
        Assert.Equal(RiskLevel.Low, PlanWorkflow.ParseRisk("Low — one file"));

        var approved = Workflow.Approve(WorkflowRepository.Id, "Ada", ApprovalChannels.Board, null, plan.TextSha256);
        Assert.True(approved.ApprovalValid);
        Assert.Null(approved.Record.Approval!.ChannelWarning);
    }

    [Fact]
    public void A_record_edited_by_hand_stops_every_decision_until_the_person_repairs_it_and_the_repair_withdraws_the_approval()
    {
        var plan = Written();
        repository.Refused("nothing_to_repair", () => Workflow.Repair(WorkflowRepository.Id));
        Workflow.Approve(WorkflowRepository.Id, "Ada", ApprovalChannels.Board, null, plan.TextSha256);
        var record = repository.PlansFile(".records/value.json");
        File.WriteAllText(record, File.ReadAllText(record).Replace("\"revision\": 2,", "\"revision\": 2 ,", StringComparison.Ordinal));
        repository.Git.Write("src/value.txt", "a = 2\n");

        var tampered = repository.Refused("tampered", () => repository.Commit(1, "Write the value"));
        Assert.Contains($"mcpplan repair {WorkflowRepository.Id}", tampered.Message);
        Assert.NotEmpty(Workflow.CheckIntegrity(WorkflowRepository.Id));

        var (repaired, accepted) = Workflow.Repair(WorkflowRepository.Id);
        Assert.Contains(accepted, finding => finding.RecordChanged);
        Assert.Null(repaired.Record.Approval);
        Assert.Empty(Workflow.CheckIntegrity(WorkflowRepository.Id));
        repository.Refused("not_approved", () => repository.Commit(1, "Write the value"));
        Assert.True(Workflow.Approve(WorkflowRepository.Id, "Ada", ApprovalChannels.Board, null, plan.TextSha256).ApprovalValid);
        Assert.True(repository.Commit(1, "Write the value").Plan.Record.Steps[0].Done);
    }

    [Fact]
    public async Task Only_a_verified_plan_is_integrated_or_completed()
    {
        var plan = Written();
        Workflow.Approve(WorkflowRepository.Id, "Ada", ApprovalChannels.Board, null, plan.TextSha256);

        var integrate = await repository.RefusedAsync("not_verified", () => Workflow.IntegrateAsync(WorkflowRepository.Id, null, new BranchIntegrator(repository.Git.Root), CancellationToken.None));
        Assert.Contains("only a verified plan is integrated", integrate.Message);
        repository.Refused("wrong_state", () => Workflow.Complete(WorkflowRepository.Id));
        repository.Refused("invalid_argument", () => Workflow.Abandon(WorkflowRepository.Id, string.Empty));
        repository.Refused("invalid_argument", () => Workflow.RequestChanges(WorkflowRepository.Id, "\0"));
    }

    [Fact]
    public async Task A_verified_plan_is_not_integrated_into_no_branch_and_stays_verified()
    {
        repository.ImplementBothSteps(approve: () => Workflow.Approve(WorkflowRepository.Id, "Ada", ApprovalChannels.Board, null, Written().TextSha256));
        await Workflow.SubmitForReviewAsync(Actor.Implementer, WorkflowRepository.Id, CancellationToken.None);
        Assert.Equal(PlanStatus.Verified, Workflow.SubmitReview(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.Review(95)).Plan.State.Status);
        repository.Git.Git("switch", "-q", "--detach");

        var refusal = await repository.RefusedAsync("no_target_branch", () => Workflow.IntegrateAsync(WorkflowRepository.Id, null, new BranchIntegrator(repository.Git.Root), CancellationToken.None));

        Assert.Contains("--into BRANCH", refusal.Message);
        Assert.Equal(PlanStatus.Verified, Workflow.ReadPlan(WorkflowRepository.Id).State.Status);
    }

    public void Dispose() => repository.Dispose();
}
