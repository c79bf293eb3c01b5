using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Tests.Acceptance;

/// <summary>The acceptance tests' rules on real git: hash, pinning commit, refusals, tampering, runs at hand-in.</summary>
public sealed class AcceptanceWorkflowTests
{
    [Fact]
    public void The_approval_hash_covers_the_tests_so_the_text_hash_alone_does_not_approve()
    {
        using var repository = new AcceptanceRepository();
        var hash = repository.WritePlanAndTest();
        var plan = repository.Workflow.ReadPlan(AcceptanceRepository.Id);

        Assert.NotEqual(plan.TextSha256, hash);
        var refused = Assert.Throws<PlanRefusedException>(() => repository.Approve(plan.TextSha256[..16]));
        Assert.Equal("plan_changed", refused.Code);
        Assert.Equal(PlanFolder.Review, repository.Workflow.ReadPlan(AcceptanceRepository.Id).Location.Folder);
    }

    [Fact]
    public void A_plan_without_acceptance_tests_is_approved_by_its_text_hash_as_before()
    {
        using var repository = new AcceptanceRepository();
        var text = AcceptanceRepository.PlanText[..AcceptanceRepository.PlanText.IndexOf("## Acceptance Tests", StringComparison.Ordinal)];
        repository.Workflow.WritePlan(Actor.Planner, "plain", text, null);
        var plan = repository.Workflow.ReadPlan("plain");
        var head = repository.Git.Head();

        Assert.Equal(plan.TextSha256, plan.ApprovalSha256);
        var approved = repository.Workflow.Approve("plain", "Ada", ApprovalChannels.Cli, null, plan.TextSha256[..8]);
        Assert.True(approved.Record.Approval!.PinnedFiles.Count == 0 && approved.Record.Approval.AcceptanceSha256 is null);
        Assert.Equal(head, repository.Git.Head());
    }

    [Fact]
    public void Approval_commits_the_tests_as_the_plans_first_commit_with_trailers()
    {
        using var repository = new AcceptanceRepository();
        var hash = repository.WritePlanAndTest();
        var approved = repository.Approve(hash[..16]);

        var head = repository.Git.Head()!;
        Assert.Equal(head, approved.Record.Approval!.AcceptanceCommit);
        Assert.Equal(head, approved.Record.Approval.BaseCommit);
        Assert.Equal([AcceptanceRepository.TestPath], approved.Record.Approval.PinnedFiles);
        Assert.True(approved.ApprovalValid);
        var message = repository.Git.Git("log", "-1", "--format=%B");
        Assert.Contains($"Plan-Id: {AcceptanceRepository.Id}", message, StringComparison.Ordinal);
        Assert.Contains($"Plan-Acceptance: {hash}", message, StringComparison.Ordinal);
        Assert.Equal(AcceptanceRepository.Test, repository.Git.Git("show", $"HEAD:{AcceptanceRepository.TestPath}"));
        Assert.Equal(AcceptanceRepository.Test, File.ReadAllText(repository.Git.Path(AcceptanceRepository.TestPath)));
        Assert.Equal(string.Empty, repository.Git.Git("status", "--porcelain", "--", "tests").Trim());
    }

    [Fact]
    public void A_test_edited_by_hand_while_the_plan_is_being_approved_is_not_pinned_and_nothing_is_approved()
    {
        using var repository = new AcceptanceRepository();
        var hash = repository.WritePlanAndTest();
        var head = repository.Git.Head();
        var faults = new Storage.FaultProbe();
        var approving = new PlanWorkflow(repository.Store, repository.Config, repository.Git.Gateway, null, TimeProvider.System, faults);
        const string Weakened = "echo '1 passed, 0 failed'\n";
        faults.OnReached = point =>
        {
            if (point == "approve:before-pin")
            {
                // A hand edit of the stored test between the approval's read of the plan and the pinning commit.
                var id = PlanId.Parse(AcceptanceRepository.Id);
                var set = repository.Store.ReadAcceptance(id);
                repository.Store.WriteAcceptance(id, set with { Files = [.. set.Files.Select(file => file with { Content = Weakened, Sha256 = Core.Acceptance.ApprovalHash.ContentSha256(Weakened) })] });
            }
        };

        var refused = Assert.Throws<PlanRefusedException>(() => approving.Approve(AcceptanceRepository.Id, "Ada", ApprovalChannels.Cli, null, hash[..16]));

        Assert.Equal(RefusalCodes.PlanChanged, refused.Code);
        Assert.Contains("Nothing was approved", refused.Message, StringComparison.Ordinal);
        Assert.Equal(head, repository.Git.Head());
        var plan = repository.Workflow.ReadPlan(AcceptanceRepository.Id);
        Assert.Equal(PlanFolder.Review, plan.Location.Folder);
        Assert.Null(plan.Record.Approval);
    }

    [Fact]
    public void A_listed_test_never_written_refuses_the_approval_and_changes_nothing()
    {
        using var repository = new AcceptanceRepository();
        repository.Workflow.WritePlan(Actor.Planner, AcceptanceRepository.Id, AcceptanceRepository.PlanText, null);
        var head = repository.Git.Head();
        var plan = repository.Workflow.ReadPlan(AcceptanceRepository.Id);

        var refused = Assert.Throws<PlanRefusedException>(() => repository.Approve(plan.ApprovalSha256[..16]));
        Assert.Equal("acceptance_file_missing", refused.Code);
        Assert.Equal(head, repository.Git.Head());
        Assert.Equal(PlanFolder.Review, repository.Workflow.ReadPlan(AcceptanceRepository.Id).Location.Folder);
    }

    [Fact]
    public void A_person_s_uncommitted_change_at_the_tests_path_refuses_the_approval()
    {
        using var repository = new AcceptanceRepository();
        var hash = repository.WritePlanAndTest();
        repository.Git.Write(AcceptanceRepository.TestPath, "echo mine\n");

        Assert.Equal("acceptance_path_dirty", Assert.Throws<PlanRefusedException>(() => repository.Approve(hash[..16])).Code);
        Assert.Equal("echo mine\n", File.ReadAllText(repository.Git.Path(AcceptanceRepository.TestPath)));
    }

    [Fact]
    public void A_link_on_the_tests_path_refuses_the_approval()
    {
        using var repository = new AcceptanceRepository();
        var hash = repository.WritePlanAndTest();
        var outside = Directory.CreateTempSubdirectory("mcpplan-outside-");
        try
        {
            Directory.CreateDirectory(repository.Git.Path("tests"));
            Directory.CreateSymbolicLink(repository.Git.Path("tests/acceptance"), outside.FullName);

            Assert.Equal("path_through_symlink", Assert.Throws<PlanRefusedException>(() => repository.Approve(hash[..16])).Code);
            Assert.Empty(outside.GetFiles());
        }
        finally
        {
            outside.Delete(recursive: true);
        }
    }

    [Fact]
    public void Changing_a_test_after_approval_voids_the_approval()
    {
        using var repository = new AcceptanceRepository();
        repository.WriteAndApprove();

        // Only the planner's tool writes the kept copy, and only in Review; a hand edit of the store voids the approval.
        var set = repository.Store.ReadAcceptance(PlanId.Parse(AcceptanceRepository.Id));
        repository.Store.WriteAcceptance(PlanId.Parse(AcceptanceRepository.Id), set with { Files = [set.Files[0] with { Content = "exit 0\n", Sha256 = Core.Acceptance.ApprovalHash.ContentSha256("exit 0\n") }] });

        Assert.False(repository.Workflow.ReadPlan(AcceptanceRepository.Id).ApprovalValid);
        repository.Git.Write("src/value.txt", "a = 2\n");
        Assert.Equal("approval_void", Assert.Throws<PlanRefusedException>(() => repository.CommitValue("a = 2")).Code);
    }

    [Fact]
    public void Commit_step_refuses_a_step_touching_a_pinned_test_and_names_it()
    {
        using var repository = new AcceptanceRepository();
        repository.WriteAndApprove();
        var head = repository.Git.Head();
        repository.Git.Write("src/value.txt", "a = 3\n");
        repository.Git.Write(AcceptanceRepository.TestPath, "echo '1 passed, 0 failed'\n");

        var refused = Assert.Throws<PlanRefusedException>(() => repository.Workflow.CommitStep(
            Actor.Implementer, AcceptanceRepository.Id, 1, "Write the value", ["src/value.txt", AcceptanceRepository.TestPath], null, null));

        Assert.Equal("acceptance_file_pinned", refused.Code);
        Assert.Contains(AcceptanceRepository.TestPath, refused.Message, StringComparison.Ordinal);
        Assert.Contains("report_blocker", refused.Message, StringComparison.Ordinal);
        Assert.Equal(head, repository.Git.Head());

        // The default selection (every changed file, declared as a deviation) is refused the same way.
        var all = Assert.Throws<PlanRefusedException>(() => repository.Workflow.CommitStep(Actor.Implementer, AcceptanceRepository.Id, 1, "Write the value", null, "all", null, includeUnplanned: true));
        Assert.Equal("acceptance_file_pinned", all.Code);
    }

    [Fact]
    public async Task A_failing_acceptance_test_refuses_the_hand_in()
    {
        using var repository = new AcceptanceRepository();
        repository.WriteAndApprove();
        repository.CommitValue("a = 3");

        var refused = await Assert.ThrowsAsync<PlanRefusedException>(() => repository.Workflow.SubmitForReviewAsync(Actor.Implementer, AcceptanceRepository.Id, CancellationToken.None));
        Assert.Equal("acceptance_failed", refused.Code);
        Assert.Contains("0/1 passed, 1 failed", refused.Message, StringComparison.Ordinal);
        Assert.Contains("value is: a = 3", refused.Message, StringComparison.Ordinal);
        Assert.Equal(PlanStatus.Implementing, repository.Workflow.ReadPlan(AcceptanceRepository.Id).State.Status);
    }

    [Fact]
    public async Task With_refusal_off_a_failing_run_is_recorded_and_the_hand_in_goes_on()
    {
        using var repository = new AcceptanceRepository(refuseOnFailure: false);
        repository.WriteAndApprove();
        repository.CommitValue("a = 3");

        var handedIn = await repository.Workflow.SubmitForReviewAsync(Actor.Implementer, AcceptanceRepository.Id, CancellationToken.None);
        Assert.Equal(PlanStatus.InReview, handedIn.State.Status);
        Assert.False(handedIn.Record.LastAcceptance!.Passed);
        Assert.Equal(new TestCounts(0, 1, 0, "plain"), handedIn.Record.LastAcceptance.Counts);
    }

    [Fact]
    public async Task A_passing_run_records_command_commit_exit_code_and_counts()
    {
        using var repository = new AcceptanceRepository();
        repository.WriteAndApprove();
        var step = repository.CommitValue("a = 2");

        var handedIn = await repository.Workflow.SubmitForReviewAsync(Actor.Implementer, AcceptanceRepository.Id, CancellationToken.None);
        var run = handedIn.Record.LastAcceptance!;
        Assert.Equal("sh tests/acceptance/value_test.sh", run.Command);
        Assert.Equal(step.Commit.Sha, run.Commit);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(new TestCounts(1, 0, 0, "plain"), run.Counts);
        Assert.Equal("1/1 passed", run.Summary);
        Assert.Contains("1 passed, 0 failed", run.OutputTail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_passing_run_at_integration_is_recorded_on_the_merged_commit_and_reported_in_the_archive()
    {
        using var repository = new AcceptanceRepository();
        var approved = repository.WriteAndApprove();
        repository.CommitValue("a = 2");
        await repository.Workflow.SubmitForReviewAsync(Actor.Implementer, AcceptanceRepository.Id, CancellationToken.None);
        var plan = repository.Workflow.ReadPlan(AcceptanceRepository.Id);
        var scores = repository.Workflow.Config.Rubric.ToDictionary(category => category.Name, _ => 95);
        IReadOnlyList<ChecklistAnswer> answers = [.. Core.Reviews.ReviewChecklist.Items(plan.Document).Select(item => new ChecklistAnswer(item.Id, string.Empty, true, "sh tests/acceptance/value_test.sh: 1 passed"))];
        repository.Workflow.SubmitReview(Actor.Planner, AcceptanceRepository.Id, new ReviewSubmission(scores, [], "Passes.") { Answers = answers });

        // A release branch cut before the work: integration fast-forwards it to the verified commit and runs the tests there.
        repository.Git.Git("branch", "release", approved.Record.Approval!.BaseCommit!);
        var (completed, candidate, _) = await repository.Workflow.IntegrateAsync(AcceptanceRepository.Id, "release", new global::McpPlanServer.Git.BranchIntegrator(repository.Git.Root), CancellationToken.None);

        var run = completed.Record.LastAcceptance!;
        Assert.Equal(candidate.ResultSha, run.Commit);
        Assert.Equal("1/1 passed", run.Summary);
        Assert.Contains($"Acceptance tests: 1/1 passed on {candidate.ResultSha[..12]}", completed.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hand_commit_weakening_the_test_is_reported_and_does_not_change_what_runs()
    {
        using var repository = new AcceptanceRepository();
        repository.WriteAndApprove();
        repository.CommitValue("a = 3");
        var weakened = repository.Git.CommitWithCli(AcceptanceRepository.TestPath, "echo '1 passed, 0 failed'\n", "make the test pass");
        repository.Git.Write(AcceptanceRepository.TestPath, "exit 0\n");

        var evidence = repository.Workflow.ReviewImplementation(AcceptanceRepository.Id, null, 0, 20_000).Acceptance!;
        Assert.Contains(evidence.Tampering, line => line.Contains(weakened[..12], StringComparison.Ordinal) && line.Contains("not the pinned version", StringComparison.Ordinal));
        Assert.Contains(evidence.Tampering, line => line.Contains("working tree", StringComparison.Ordinal));

        // What runs is the pinned test, so the wrong value still fails.
        var refused = await Assert.ThrowsAsync<PlanRefusedException>(() => repository.Workflow.SubmitForReviewAsync(Actor.Implementer, AcceptanceRepository.Id, CancellationToken.None));
        Assert.Equal("acceptance_failed", refused.Code);
    }

    [Fact]
    public void The_planner_writes_only_listed_files_only_in_review_and_not_from_a_stale_read()
    {
        using var repository = new AcceptanceRepository();
        repository.Workflow.WritePlan(Actor.Planner, AcceptanceRepository.Id, AcceptanceRepository.PlanText, null);
        var acceptance = repository.Workflow.Acceptance;

        Assert.Equal("acceptance_path_unlisted", Assert.Throws<PlanRefusedException>(() => acceptance.WriteFile(Actor.Planner, AcceptanceRepository.Id, "tests/other_test.sh", "x", null)).Code);
        Assert.Equal("path_outside_repository", Assert.Throws<PlanRefusedException>(() => acceptance.WriteFile(Actor.Planner, AcceptanceRepository.Id, "../x.sh", "x", null)).Code);
        Assert.Equal("wrong_role", Assert.Throws<PlanRefusedException>(() => acceptance.WriteFile(Actor.Implementer, AcceptanceRepository.Id, AcceptanceRepository.TestPath, "x", null)).Code);

        var first = acceptance.WriteFile(Actor.Planner, AcceptanceRepository.Id, AcceptanceRepository.TestPath, AcceptanceRepository.Test, null);
        Assert.Equal(1, first.Revision);
        Assert.Empty(first.Missing);
        Assert.Equal("revision_required", Assert.Throws<PlanRefusedException>(() => acceptance.WriteFile(Actor.Planner, AcceptanceRepository.Id, AcceptanceRepository.TestPath, "exit 0\n", null)).Code);
        Assert.Equal("stale_revision", Assert.Throws<PlanRefusedException>(() => acceptance.WriteFile(Actor.Planner, AcceptanceRepository.Id, AcceptanceRepository.TestPath, "exit 0\n", 0)).Code);
        Assert.Equal(2, acceptance.WriteFile(Actor.Planner, AcceptanceRepository.Id, AcceptanceRepository.TestPath, "exit 0\n", 1).Revision);

        repository.Approve(repository.Workflow.ReadPlan(AcceptanceRepository.Id).ApprovalSha256[..16]);
        Assert.Equal("wrong_state", Assert.Throws<PlanRefusedException>(() => acceptance.WriteFile(Actor.Planner, AcceptanceRepository.Id, AcceptanceRepository.TestPath, AcceptanceRepository.Test, 2)).Code);
    }

    [Fact]
    public void The_runner_replaces_a_link_in_the_checkout_instead_of_writing_through_it()
    {
        var checkout = Directory.CreateTempSubdirectory("mcpplan-checkout-");
        var outside = Directory.CreateTempSubdirectory("mcpplan-outside-");
        try
        {
            Directory.CreateDirectory(Path.Join(checkout.FullName, "tests"));
            Directory.CreateSymbolicLink(Path.Join(checkout.FullName, "tests", "acceptance"), outside.FullName);
            File.CreateSymbolicLink(Path.Join(checkout.FullName, "top_test.sh"), Path.Join(outside.FullName, "victim"));

            global::McpPlanServer.Cli.Verification.AcceptanceRunner.Overlay(checkout.FullName, [
                new AcceptanceFile("tests/acceptance/value_test.sh", "pinned\n", "x"),
                new AcceptanceFile("top_test.sh", "pinned top\n", "y")]);

            Assert.Empty(outside.GetFileSystemInfos());
            Assert.Equal("pinned\n", File.ReadAllText(Path.Join(checkout.FullName, "tests", "acceptance", "value_test.sh")));
            Assert.Null(new FileInfo(Path.Join(checkout.FullName, "top_test.sh")).LinkTarget);
        }
        finally
        {
            checkout.Delete(recursive: true);
            outside.Delete(recursive: true);
        }
    }
}
