using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Tests.Workflow;

/// <summary>
/// The implementer's rules, in process on a real git repository: steps in order, each once, only declared drift under a
/// blocking policy, findings named in a fix round, an approval of exactly the current text, one active plan to work on.
/// Every refusal leaves HEAD, the index and every file as they were.
/// </summary>
public sealed class ImplementerRefusalTests : IDisposable
{
    private readonly WorkflowRepository repository = new(config: new PlanServerConfig { Drift = DriftPolicy.Block });

    private PlanWorkflow Workflow => repository.Workflow;

    [Fact]
    public void Steps_are_committed_in_order_each_once_and_only_steps_the_plan_has()
    {
        repository.WriteAndApprove();
        repository.Git.Write("src/value.txt", "a = 2\n");
        repository.Git.Write("tests/check.sh", WorkflowRepository.Check);

        var order = repository.Refused("step_out_of_order", () => repository.Commit(2, "Add the check", "tests/check.sh"));
        Assert.Contains("step 1 (", order.Message);
        Assert.Contains("comes first", order.Message);
        repository.Refused("unknown_step", () => repository.Commit(3, "A third step", "src/value.txt"));

        var first = repository.Commit(1, "Write the value", "src/value.txt");
        Assert.Equal(2, first.NextStep);
        Assert.Equal(first.Plan.Record.Revision, Workflow.ReadPlan(WorkflowRepository.Id).Record.Revision);

        repository.Git.Write("src/value.txt", "a = 3\n");
        var again = repository.Refused("step_done", () => repository.Commit(1, "Change the value", "src/value.txt"));
        Assert.Contains("Commit the next step (2)", again.Message);
    }

    [Fact]
    public void Under_the_block_policy_an_unplanned_file_needs_a_deviation_reason_and_is_then_recorded_as_drift()
    {
        repository.WriteAndApprove();
        repository.Git.Write("src/value.txt", "a = 2\n");
        repository.Git.Write("src/extra.txt", "not in the plan\n");

        var blocked = repository.Refused("drift_blocked", () => repository.Commit(1, "Write the value", "src/value.txt", "src/extra.txt"));
        Assert.Contains("src/extra.txt", blocked.Message);
        Assert.Contains("deviation_reason", blocked.Message);

        var declared = Workflow.CommitStep(Actor.Implementer, WorkflowRepository.Id, 1, "Write the value", ["src/value.txt", "src/extra.txt"], "The value needs a companion file.", null);
        var commit = declared.Plan.Record.Steps[0].Commits.Single();
        Assert.Equal(["src/extra.txt"], commit.UnplannedFiles);
        Assert.Equal("The value needs a companion file.", commit.DeviationReason);
        Assert.Equal(["src/extra.txt"], declared.UnplannedFiles);
    }

    [Fact]
    public void A_commit_naming_a_finding_that_is_not_open_is_refused_naming_the_open_ones()
    {
        repository.WriteAndApprove();
        repository.Git.Write("src/value.txt", "a = 2\n");

        var refusal = repository.Refused("unknown_finding", () => repository.Fix(1, "Write the value", "R9-F1", "src/value.txt"));

        Assert.Contains("R9-F1 is not", refusal.Message);
        Assert.Contains("Open findings: none", refusal.Message);
    }

    [Fact]
    public void A_hand_edit_of_an_approved_text_voids_the_approval_for_every_commit_until_the_owner_approves_again()
    {
        repository.WriteAndApprove();
        File.AppendAllText(repository.PlansFile("Active/value.md"), "\nOne more line the person did not approve.\n");
        repository.Git.Write("src/value.txt", "a = 2\n");

        var plan = Workflow.ReadPlan(WorkflowRepository.Id);
        Assert.False(plan.ApprovalValid);
        Assert.StartsWith("Not approved for its current text", Workflow.ListPlans().Single().NextAction);
        var refusal = repository.Refused("approval_void", () => repository.Commit(1, "Write the value"));
        Assert.Contains($"mcpplan approve {WorkflowRepository.Id}", refusal.Message);

        var again = Workflow.Approve(WorkflowRepository.Id, "Ada", ApprovalChannels.Cli, null, plan.TextSha256);
        Assert.True(again.ApprovalValid);
        Assert.Equal(PlanStatus.Implementing, again.State.Status);
        Assert.True(repository.Commit(1, "Write the value").Plan.Record.Steps[0].Done);
    }

    [Fact]
    public void A_revision_of_an_active_plan_voids_its_approval_and_sends_it_back_to_review()
    {
        var approved = repository.WriteAndApprove();

        var revised = Workflow.WritePlan(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.PlanText + "\nA late change.\n", approved.Record.TextRevision);

        Assert.True(revised.ApprovalVoided);
        Assert.Equal(new PlanState(PlanFolder.Review, PlanStatus.AwaitingApproval), revised.State);
        Assert.True(File.Exists(repository.PlansFile("Review/value.md")));
        Assert.False(File.Exists(repository.PlansFile("Active/value.md")));
        Assert.False(Workflow.ReadPlan(WorkflowRepository.Id).ApprovalValid);
        repository.Git.Write("src/value.txt", "a = 2\n");
        repository.Refused("wrong_state", () => repository.Commit(1, "Write the value"));
        Assert.Contains(Workflow.ReadJournal(WorkflowRepository.Id), entry => entry.Detail == "revised; approval voided");
    }

    [Fact]
    public void A_plan_placed_in_active_by_hand_has_no_approval_and_takes_no_commit()
    {
        Directory.CreateDirectory(repository.PlansFile("Active"));
        File.WriteAllText(repository.PlansFile("Active/value.md"), WorkflowRepository.PlanText);
        repository.Git.Write("src/value.txt", "a = 2\n");

        var refusal = repository.Refused("not_approved", () => repository.Commit(1, "Write the value"));

        Assert.Contains($"mcpplan approve {WorkflowRepository.Id}", refusal.Message);
    }

    [Fact]
    public void Without_a_plan_id_the_implementer_needs_exactly_one_active_plan()
    {
        var none = repository.Refused("no_active_plan", () => Workflow.ReadActivePlan(null));
        Assert.Contains("write_plan", none.Message);
        repository.WriteAndApprove();
        Assert.Equal(WorkflowRepository.Id, Workflow.ReadActivePlan(null).Id.Value);
        Workflow.WritePlan(Actor.Planner, "second", WorkflowRepository.PlanText.Replace("src/value.txt", "src/second.txt", StringComparison.Ordinal), null);
        Workflow.Approve("second", "Ada", ApprovalChannels.Cli, null, Workflow.ReadPlan("second").TextSha256);

        var two = repository.Refused("ambiguous_active_plan", () => Workflow.ReadActivePlan(null));

        Assert.Contains("second", two.Message);
        Assert.Contains("claim=true", two.Message);
        repository.Refused("plan_not_found", () => Workflow.ReadActivePlan("missing"));
    }

    public void Dispose() => repository.Dispose();
}
