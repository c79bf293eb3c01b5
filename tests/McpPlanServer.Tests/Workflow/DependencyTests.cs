using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Tests.Workflow;

/// <summary>The <c>**Depends on**</c> graph: unknown ids warn, a cycle is refused by name, and readiness follows the dependencies' states.</summary>
public sealed class DependencyTests : IDisposable
{
    private readonly WorkflowRepository repository = new();

    private static string PlanDependingOn(string dependsOn) =>
        WorkflowRepository.PlanText.Replace("**Risk level**: Low", $"**Risk level**: Low\n**Depends on**: {dependsOn}", StringComparison.Ordinal);

    private PlanSummary Summary(string id) => repository.Workflow.ListPlans().Single(plan => plan.Id == id);

    [Fact]
    public void An_unknown_dependency_warns_and_the_plan_is_blocked_until_it_exists_then_waits_then_is_ready()
    {
        var written = repository.Workflow.WritePlan(Actor.Planner, "api", PlanDependingOn("schema"), null);
        Assert.Contains(written.Warnings, finding => finding.Code == "PL107" && finding.Message.Contains("'schema'", StringComparison.Ordinal));
        Assert.StartsWith("blocked: schema (no such plan)", Summary("api").Readiness, StringComparison.Ordinal);

        repository.Workflow.WritePlan(Actor.Planner, "schema", WorkflowRepository.PlanText, null);
        Assert.Equal("waiting on schema (awaiting_approval)", Summary("api").Readiness);
        Assert.Equal(DependencyGraph.Ready, Summary("schema").Readiness);
        Assert.Equal("waiting on schema (awaiting_approval)", repository.Workflow.ReadPlan("api").Readiness);

        repository.Workflow.Abandon("schema", "not needed");
        Assert.StartsWith("blocked: schema (abandoned)", Summary("api").Readiness, StringComparison.Ordinal);
        Assert.Null(Summary("schema").Readiness);
    }

    [Fact]
    public void A_cycle_is_a_lint_error_naming_the_cycle_and_nothing_is_written()
    {
        repository.Workflow.WritePlan(Actor.Planner, "a", PlanDependingOn("b"), null);
        repository.Workflow.WritePlan(Actor.Planner, "b", PlanDependingOn("c"), null);
        var refused = Assert.Throws<PlanRefusedException>(() => repository.Workflow.WritePlan(Actor.Planner, "c", PlanDependingOn("a"), null));
        Assert.Equal("lint_errors", refused.Code);
        Assert.Contains("PL108", refused.Message);
        Assert.Contains("c -> a -> b -> c", refused.Message);
        Assert.DoesNotContain(repository.Workflow.ListPlans(), plan => plan.Id == "c");

        var self = Assert.Throws<PlanRefusedException>(() => repository.Workflow.WritePlan(Actor.Planner, "d", PlanDependingOn("d"), null));
        Assert.Contains("d -> d", self.Message);
    }

    [Fact]
    public void A_dependency_added_by_hand_editing_the_text_is_picked_up()
    {
        repository.Workflow.WritePlan(Actor.Planner, "schema", WorkflowRepository.PlanText, null);
        repository.Workflow.WritePlan(Actor.Planner, "api", WorkflowRepository.PlanText, null);
        Assert.Equal(DependencyGraph.Ready, Summary("api").Readiness);

        var path = Path.Combine(repository.Store.RootPath, "Review", "api.md");
        File.WriteAllText(path, PlanDependingOn("schema"));
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        Assert.Equal("waiting on schema (awaiting_approval)", Summary("api").Readiness);
    }

    public void Dispose() => repository.Dispose();
}
