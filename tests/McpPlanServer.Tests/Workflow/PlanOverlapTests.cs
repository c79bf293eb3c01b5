using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;

namespace McpPlanServer.Tests.Workflow;

/// <summary>Approved plans that list the same file: flagged in list_plans and at approval; <c>parallel: "strict"</c> keeps them apart.</summary>
public sealed class PlanOverlapTests
{
    private static PlanWorkflow Session(WorkflowRepository repository, string worktree) =>
        new(new FilePlanStore(repository.Git.Root, repository.Config), repository.Config, repository.Gateway, null, repository.Clock)
        {
            Session = ClaimHolder.NewSession(worktree),
        };

    private static void Approved(WorkflowRepository repository, string id, string file)
    {
        var text = WorkflowRepository.PlanText.Replace("src/value.txt", file, StringComparison.Ordinal)
            .Replace("tests/check.sh", $"tests/{id}.sh", StringComparison.Ordinal);
        repository.Workflow.WritePlan(Actor.Planner, id, text, null);
        repository.Workflow.Approve(id, "Ada", ApprovalChannels.Cli, null, repository.Workflow.ReadPlan(id).TextSha256);
        repository.Clock.Advance(TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void Plans_listing_the_same_file_are_flagged_and_in_the_default_warn_mode_both_can_be_claimed_by_id()
    {
        using var repository = new WorkflowRepository();
        Approved(repository, "alpha", "src/shared.txt");
        Approved(repository, "beta", "src/shared.txt");
        Approved(repository, "gamma", "src/gamma.txt");

        var listed = repository.Workflow.ListPlans().ToDictionary(plan => plan.Id);

        Assert.Equal("shares src/shared.txt with plan 'beta'", listed["alpha"].Overlap);
        Assert.Equal("shares src/shared.txt with plan 'alpha'", listed["beta"].Overlap);
        Assert.Null(listed["gamma"].Overlap);
        Assert.Equal(listed["beta"].Overlap, repository.Workflow.OverlapOf("beta"));
        Session(repository, "wt-1").Claims.Take("alpha");
        Assert.Equal("beta", Session(repository, "wt-2").Claims.Take("beta").Plan.Id.Value);
    }

    [Fact]
    public void The_listings_kept_planned_files_follow_a_rewrite_a_hand_edit_a_move_and_a_deletion_as_a_fresh_read_does()
    {
        using var repository = new WorkflowRepository();
        Approved(repository, "alpha", "src/shared.txt");
        Approved(repository, "beta", "src/beta.txt");
        Approved(repository, "gamma", "src/gamma.txt");
        string Active(string id) => repository.PlansFile($"Active/{id}.md");
        string Listing(string id, string file) => WorkflowRepository.PlanText.Replace("src/value.txt", file, StringComparison.Ordinal)
            .Replace("tests/check.sh", $"tests/{id}.sh", StringComparison.Ordinal);

        // The page is alpha alone: the other active plans are known from the kept planned files.
        string? Overlap()
        {
            var kept = repository.Workflow.ListPlans(PlanFolder.Active, 0, 1).Plans.Single();
            var fresh = repository.Restarted().ListPlans(PlanFolder.Active, 0, 1).Plans.Single();
            Assert.Equal("alpha", kept.Id);
            Assert.Equal(fresh, kept);
            return kept.Overlap;
        }

        repository.SettleFolders();
        Assert.Null(Overlap());

        // beta's file list rewritten as editors save (a new file renamed over it): the folder changes, the overlap appears.
        File.WriteAllText(Active("beta") + ".new", Listing("beta", "src/shared.txt"));
        File.Move(Active("beta") + ".new", Active("beta"), overwrite: true);
        repository.SettleFolders();
        Assert.Equal("shares src/shared.txt with plan 'beta'", Overlap());

        // gamma's edited in place (the folder does not change): off the page, it is seen once the recheck time has passed.
        File.WriteAllText(Active("gamma"), Listing("gamma", "src/shared.txt"));
        File.SetLastWriteTimeUtc(Active("gamma"), DateTime.UtcNow.AddMinutes(1));
        repository.Clock.Advance(PlanLimits.OverlapRecheck);
        Assert.Equal("shares src/shared.txt with plan 'beta'; src/shared.txt with plan 'gamma'", Overlap());

        // The page's own plan is stamped at every listing: alpha edited in place shares nothing any more, at once.
        File.WriteAllText(Active("alpha"), Listing("alpha", "src/alpha.txt"));
        File.SetLastWriteTimeUtc(Active("alpha"), DateTime.UtcNow.AddMinutes(2));
        Assert.Null(Overlap());
        File.WriteAllText(Active("alpha"), Listing("alpha", "src/shared.txt"));
        File.SetLastWriteTimeUtc(Active("alpha"), DateTime.UtcNow.AddMinutes(3));
        Assert.Equal("shares src/shared.txt with plan 'beta'; src/shared.txt with plan 'gamma'", Overlap());

        // beta moved out of Active by hand, gamma deleted: each overlap goes with its plan.
        Directory.CreateDirectory(repository.PlansFile("Completed"));
        File.Move(Active("beta"), repository.PlansFile("Completed/beta.md"));
        repository.SettleFolders();
        Assert.Equal("shares src/shared.txt with plan 'gamma'", Overlap());
        File.Delete(Active("gamma"));
        repository.SettleFolders();
        Assert.Null(Overlap());
    }

    [Fact]
    public void A_step_recorded_keeps_the_overlap_a_fresh_read_gives_and_a_text_edited_afterwards_still_changes_it()
    {
        using var repository = new WorkflowRepository();
        Approved(repository, "alpha", "src/shared.txt");
        Approved(repository, "beta", "src/shared.txt");
        string Overlap(string id)
        {
            var kept = repository.Workflow.ListPlans().Single(plan => plan.Id == id);
            Assert.Equal(repository.Restarted().ListPlans().Single(plan => plan.Id == id), kept);
            return kept.Overlap ?? "none";
        }

        Assert.Equal("shares src/shared.txt with plan 'beta'", Overlap("alpha"));

        // A step of beta recorded: its record is rewritten, its text (and so its planned files) is not.
        repository.Git.Write("src/shared.txt", "b\n");
        Session(repository, "wt-1").CommitStep(Actor.Implementer, "beta", 1, "Write", null, null, null);
        Assert.Equal("shares src/shared.txt with plan 'beta'", Overlap("alpha"));

        // beta's text edited in place after the step: the kept files follow the text, not the record.
        var beta = repository.PlansFile("Active/beta.md");
        File.WriteAllText(beta, File.ReadAllText(beta).Replace("src/shared.txt", "src/beta.txt", StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(beta, DateTime.UtcNow.AddMinutes(1));
        repository.Clock.Advance(PlanLimits.OverlapRecheck);
        Assert.Equal("none", Overlap("alpha"));
    }

    [Fact]
    public void Strict_refuses_the_later_approved_plan_until_the_first_is_done_and_any_plan_sharing_a_file_with_a_held_one()
    {
        using var repository = new WorkflowRepository(config: new PlanServerConfig { Parallel = ParallelPolicy.Strict });
        Approved(repository, "alpha", "src/shared.txt");
        Approved(repository, "beta", "src/shared.txt");
        Approved(repository, "gamma", "src/gamma.txt");

        var later = repository.Refused("plans_overlap", () => Session(repository, "wt-1").Claims.Take("beta"));
        Assert.Contains("approved before it and not integrated yet", later.Message);
        Assert.Contains("src/shared.txt", later.Message);

        Session(repository, "wt-2").Claims.Take("alpha");
        Assert.Equal("gamma", Session(repository, "wt-3").Claims.Take(null).Plan.Id.Value);
        var none = repository.Refused("no_ready_plan", () => Session(repository, "wt-4").Claims.Take(null));
        Assert.Contains("beta: shares src/shared.txt with a plan in progress", none.Message);

        // A first commit_step is a claim too: it is refused the same way.
        repository.Git.Write("src/shared.txt", "b\n");
        repository.Refused("plans_overlap", () => Session(repository, "wt-5").CommitStep(Actor.Implementer, "beta", 1, "Write", null, null, null));
    }
}
