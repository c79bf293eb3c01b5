using McpPlanServer.Core.Records;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;

namespace McpPlanServer.Tests.Workflow;

/// <summary>Claims with fencing: one live holder per plan, a number that only grows, and a stale holder refused.</summary>
public sealed class ClaimTests : IDisposable
{
    private readonly WorkflowRepository repository = new();
    private readonly ManualClock clock = new(DateTimeOffset.UtcNow);

    private PlanWorkflow Session(string worktree) =>
        new(new FilePlanStore(repository.Git.Root, repository.Config), repository.Config, repository.Git.Gateway, repository.Runner, clock)
        {
            Session = ClaimHolder.NewSession(worktree),
        };

    private static string PlanWith(string file, string dependsOn = "") =>
        WorkflowRepository.PlanText.Replace("src/value.txt", file, StringComparison.Ordinal)
            .Replace("tests/check.sh", $"tests/{Path.GetFileNameWithoutExtension(file)}.sh", StringComparison.Ordinal)
            .Replace("**Risk level**: Low", dependsOn.Length == 0 ? "**Risk level**: Low" : $"**Risk level**: Low\n**Depends on**: {dependsOn}", StringComparison.Ordinal);

    private void Approved(string id, string text)
    {
        repository.Workflow.WritePlan(Actor.Planner, id, text, null);
        repository.Workflow.Approve(id, "Ada", ApprovalChannels.Cli, null, repository.Workflow.ReadPlan(id).TextSha256);
    }

    [Fact]
    public void A_plan_has_one_live_holder_and_an_expired_holder_is_refused_after_another_claims_with_a_higher_fence()
    {
        Approved("alpha", PlanWith("src/alpha.txt"));
        var first = Session("wt-1");
        var second = Session("wt-2");

        var (plan, claim) = first.Claims.Take("alpha");
        Assert.Equal("alpha", plan.Id.Value);
        var taken = Assert.Throws<PlanRefusedException>(() => second.Claims.Take("alpha"));
        Assert.Equal("plan_claimed", taken.Code);
        Assert.Contains("wt-1", taken.Message);

        clock.Now += TimeSpan.FromMinutes(16);
        var (_, successor) = second.Claims.Take("alpha");
        Assert.True(successor.Fence > claim.Fence);

        repository.Git.Write("src/alpha.txt", "a = 2\n");
        var head = repository.Git.Head();
        var stale = Assert.Throws<PlanRefusedException>(() => first.CommitStep(Actor.Implementer, "alpha", 1, "Write the value", null, null, null));
        Assert.Equal("plan_claimed", stale.Code);
        Assert.Equal(head, repository.Git.Head());

        var committed = second.CommitStep(Actor.Implementer, "alpha", 1, "Write the value", null, null, null);
        Assert.Contains($"Plan-Claim: {successor.Fence}", repository.Git.Git("log", "-1", "--format=%B", committed.Commit.Sha));
    }

    [Fact]
    public void Claiming_without_an_id_takes_the_next_ready_plan_skipping_claimed_waiting_and_overlapping_ones()
    {
        Approved("a-first", PlanWith("src/shared.txt"));
        Approved("b-overlap", PlanWith("src/shared.txt"));
        Approved("c-waits", PlanWith("src/c.txt", dependsOn: "a-first"));
        Approved("d-free", PlanWith("src/d.txt"));

        Assert.Equal("a-first", Session("wt-1").Claims.Take(null).Plan.Id.Value);
        Assert.Equal("d-free", Session("wt-2").Claims.Take(null).Plan.Id.Value);
        var none = Assert.Throws<PlanRefusedException>(() => Session("wt-3").Claims.Take(null));
        Assert.Equal("no_ready_plan", none.Code);
        Assert.Contains("b-overlap: shares src/shared.txt", none.Message);
        Assert.Contains("c-waits: waiting on a-first", none.Message);
    }

    [Fact]
    public void The_person_breaks_a_claim_and_the_holders_next_commit_takes_a_new_fence_or_is_refused_when_retaken()
    {
        Approved("alpha", PlanWith("src/alpha.txt"));
        var holder = Session("wt-1");
        var (_, claim) = holder.Claims.Take(null);
        Assert.Equal("alpha", holder.ReadActivePlan(null).Id.Value);

        var broken = repository.Workflow.Claims.Break("alpha");
        Assert.Equal(claim.Fence, broken.Fence);
        Assert.Empty(repository.Workflow.Claims.Live());

        var (_, retaken) = Session("wt-2").Claims.Take("alpha");
        Assert.Equal(claim.Fence + 1, retaken.Fence);
        repository.Git.Write("src/alpha.txt", "a = 2\n");
        Assert.Equal("plan_claimed", Assert.Throws<PlanRefusedException>(() => holder.CommitStep(Actor.Implementer, "alpha", 1, "Write", null, null, null)).Code);

        var release = Assert.Throws<PlanRefusedException>(() => holder.Claims.Release("alpha"));
        Assert.Equal("not_claimed", release.Code);
    }

    [Fact]
    public void A_claim_of_a_process_that_ended_is_not_live()
    {
        Approved("alpha", PlanWith("src/alpha.txt"));
        var gone = new PlanWorkflow(new FilePlanStore(repository.Git.Root, repository.Config), repository.Config, repository.Git.Gateway, repository.Runner, clock)
        {
            Session = new ClaimHolder("ended-session", int.MaxValue - 7, Environment.MachineName, "wt-gone"),
        };
        gone.Claims.Take("alpha");
        Assert.Empty(repository.Workflow.Claims.Live());
        Assert.Equal("alpha", Session("wt-2").Claims.Take("alpha").Plan.Id.Value);
    }

    public void Dispose() => repository.Dispose();
}
