using System.Text.Json;
using McpPlanServer.EndToEnd.Reliability;
using McpPlanServer.EndToEnd.Support;

namespace McpPlanServer.EndToEnd;

/// <summary>
/// A repository is untrusted input: links in the plans root made by someone else (and shipped through git) must never
/// make mcpplan read, write, truncate or delete outside it, and one bad file must not stop the rest. Real links in real
/// temporary repositories, the real executable; each test proves the files outside are byte for byte as they were.
/// </summary>
public sealed class HostileRepositoryTests
{
    [Fact]
    public async Task A_journal_link_shipped_in_a_cloned_repository_is_never_truncated_or_written_by_any_command()
    {
        using var outside = new OutsideFolder();
        var victim = outside.PathOf("victim.jsonl");
        await File.WriteAllTextAsync(victim, "precious data that looks like a torn journal line {\"at\":", TestContext.Current.CancellationToken);
        using var origin = await TestRepository.CreateAsync();
        origin.WriteFile(".claude/plans/Review/greeting.md", SamplePlans.Greeting());
        // Relative, as a repository would ship it: from <repo>/.claude/plans up to the temp folder and across.
        File.CreateSymbolicLink(Path.Combine(origin.PlansRoot, "journal.jsonl"), Path.Combine("..", "..", "..", Path.GetFileName(outside.Root), "victim.jsonl"));
        await origin.GitAsync("add", "-A");
        await origin.GitAsync("commit", "-q", "-m", "ships a journal link");
        using var repository = await TestRepository.CloneAsync(origin);
        Assert.NotNull(new FileInfo(Path.Combine(repository.PlansRoot, "journal.jsonl")).LinkTarget);
        var before = outside.Snapshot();

        var status = await repository.CliAsync("status");
        var log = await repository.CliAsync("log");
        var approve = await repository.CliAsync("approve", "greeting");
        var doctor = await repository.CliAsync("doctor");
        await using (var planner = await ServerSession.StartAsync(repository, "planner"))
        {
            var write = await planner.CallAsync("write_plan", new { plan_id = "other", text = SamplePlans.Greeting() });
            Assert.True(write.IsError, ServerSession.Text(write));
            Assert.Contains("symlink_refused", ServerSession.Text(write));
            var list = await planner.CallOkAsync("list_plans");
            Assert.Contains("journal.jsonl", list.GetProperty("bad_files").GetRawText());
        }

        Assert.Equal(before, outside.Snapshot());
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("greeting", status.Output);
        Assert.Contains("journal.jsonl is a symbolic link", status.Output);
        Assert.Equal(1, log.ExitCode);
        Assert.Contains("symlink_refused", log.Error);
        Assert.Equal(1, approve.ExitCode);
        Assert.Contains("symlink_refused", approve.Error);
        Assert.Equal(1, doctor.ExitCode);
        Assert.Contains("journal.jsonl", doctor.Output);
        Assert.Contains("rm .claude/plans/journal.jsonl", doctor.Output);
        Assert.True(File.Exists(Path.Combine(repository.PlansRoot, "Review", "greeting.md")));
    }

    [Theory]
    [InlineData("Review")]
    [InlineData("Active")]
    [InlineData("Completed")]
    [InlineData(".records")]
    public async Task A_state_or_records_folder_linked_out_of_the_repository_refuses_every_change_and_nothing_lands_outside(string folder)
    {
        using var outside = new OutsideFolder();
        File.WriteAllText(outside.PathOf("greeting.md"), SamplePlans.Greeting());
        using var repository = await TestRepository.CreateAsync();
        var home = folder == "Review" ? "Active" : "Review";
        repository.WriteFile($".claude/plans/{home}/greeting.md", SamplePlans.Greeting());
        Directory.CreateDirectory(repository.PlansRoot);
        Directory.CreateSymbolicLink(Path.Combine(repository.PlansRoot, folder), outside.Root);
        var before = (Repository: repository.Snapshot(), Outside: outside.Snapshot());

        var approve = await repository.CliAsync("approve", "greeting");
        var abandon = await repository.CliAsync("abandon", "greeting", "--reason", "try to move it out");
        await using (var planner = await ServerSession.StartAsync(repository, "planner"))
        {
            var write = await planner.CallAsync("write_plan", new { plan_id = "fresh", text = SamplePlans.Greeting() });
            Assert.True(write.IsError, ServerSession.Text(write));
            Assert.Contains("symlink_refused", ServerSession.Text(write));
            Assert.Contains($".claude/plans/{folder} is a symbolic link", ServerSession.Text(write));
        }

        var status = await repository.CliAsync("status");

        Assert.All([approve, abandon], refused =>
        {
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("symlink_refused", refused.Error);
        });
        Assert.Equal(before.Outside, outside.Snapshot());
        Assert.Equal(before.Repository, repository.Snapshot());
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains($".claude/plans/{folder} is a symbolic link", status.Output);
        Assert.Contains($"{folder} in the plans root is a symbolic link", InvariantChecker.Check(repository.Root).Violations);
    }

    [Fact]
    public async Task A_folder_swapped_for_a_link_while_the_server_runs_is_refused_at_the_next_call()
    {
        using var outside = new OutsideFolder();
        using var repository = await TestRepository.CreateAsync();
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        var review = Path.Combine(repository.PlansRoot, "Review");
        Directory.Move(review, outside.PathOf("Review"));
        Directory.CreateSymbolicLink(review, outside.PathOf("Review"));
        var before = outside.Snapshot();

        var revise = await planner.CallAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting(" Revised."), expected_revision = 1 });

        Assert.True(revise.IsError, ServerSession.Text(revise));
        Assert.Contains("symlink_refused", ServerSession.Text(revise));
        Assert.Equal(before, outside.Snapshot());
    }

    [Fact]
    public async Task A_dangling_lock_link_never_creates_a_file_outside_and_reads_still_work()
    {
        using var outside = new OutsideFolder();
        using var repository = await TestRepository.CreateAsync();
        repository.WriteFile(".claude/plans/Review/greeting.md", SamplePlans.Greeting());
        var target = outside.PathOf("created-by-the-lock");
        File.CreateSymbolicLink(Path.Combine(repository.PlansRoot, ".lock"), target);

        var approve = await repository.CliAsync("approve", "greeting");
        var status = await repository.CliAsync("status");
        await using (var planner = await ServerSession.StartAsync(repository, "planner"))
        {
            var write = await planner.CallAsync("write_plan", new { plan_id = "fresh", text = SamplePlans.Greeting() });
            Assert.True(write.IsError, ServerSession.Text(write));
            Assert.Contains("symlink_refused", ServerSession.Text(write));
        }

        Assert.False(File.Exists(target), "the dangling .lock link created a file outside the repository");
        Assert.Empty(outside.Snapshot());
        Assert.Equal(1, approve.ExitCode);
        Assert.Contains("symlink_refused", approve.Error);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("greeting", status.Output);
        Assert.Contains(".lock is a symbolic link", status.Output);
    }

    [Fact]
    public async Task The_start_up_temp_sweep_never_follows_a_folder_link_out_of_the_plans_root()
    {
        using var outside = new OutsideFolder();
        File.WriteAllText(outside.PathOf(".notes.md.0123456789abcdef.tmp"), "someone else's temp file");
        Directory.CreateDirectory(outside.PathOf("deeper"));
        File.WriteAllText(outside.PathOf(Path.Combine("deeper", ".x.tmp")), "another one");
        using var repository = await TestRepository.CreateAsync();
        repository.WriteFile(".claude/plans/Review/.greeting.md.0123456789abcdef.tmp", "left by a killed writer");
        Directory.CreateSymbolicLink(Path.Combine(repository.PlansRoot, "notes"), outside.Root);
        var before = outside.Snapshot();

        var status = await repository.CliAsync("status");

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal(before, outside.Snapshot());
        Assert.False(File.Exists(Path.Combine(repository.PlansRoot, "Review", ".greeting.md.0123456789abcdef.tmp")), "the sweep did not run inside");
    }

    [Fact]
    public async Task One_corrupt_record_is_reported_with_its_repair_its_plan_refused_and_everything_else_keeps_working()
    {
        using var repository = await TestRepository.CreateAsync();
        repository.WriteFile(".claude/plans/Review/greeting.md", SamplePlans.Greeting());
        repository.WriteFile(".claude/plans/Review/broken.md", SamplePlans.Greeting());
        repository.WriteFile(".claude/plans/.records/broken.json", "{\"id\":\"broken\",\"revision\":");

        await using (var observer = await ServerSession.StartAsync(repository, "observer"))
        {
            var list = await observer.CallOkAsync("list_plans");
            var plans = list.GetProperty("plans").EnumerateArray().ToDictionary(plan => plan.GetProperty("id").GetString()!, plan => plan);
            Assert.False(plans["greeting"].TryGetProperty("problem", out _));
            Assert.Contains("record_corrupt", plans["broken"].GetProperty("problem").GetString());
            Assert.Contains("Restore it from git", plans["broken"].GetProperty("problem").GetString());
            Assert.Equal("Greeting module", (await observer.CallOkAsync("read_plan", new { plan_id = "greeting" })).GetProperty("title").GetString());
        }

        var status = await repository.CliAsync("status");
        var show = await repository.CliAsync("show", "greeting");
        var doctor = await repository.CliAsync("doctor");
        var refused = await repository.CliAsync("approve", "broken");
        var approved = await repository.ApproveAsync("greeting");
        var log = await repository.CliAsync("log");

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains(".claude/plans/.records/broken.json (record_corrupt)", status.Output);
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Equal(1, doctor.ExitCode);
        Assert.Contains(".claude/plans/.records/broken.json (record_corrupt)", doctor.Output);
        Assert.Contains("delete it to rebuild it", doctor.Output);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("record_corrupt", refused.Error);
        Assert.True(approved.ExitCode == 0, approved.ToString());
        Assert.True(log.ExitCode == 0, log.ToString());
        Assert.Contains("approve", log.Output);
        Assert.Contains(InvariantChecker.Check(repository.Root).Violations, violation => violation.StartsWith("record of 'broken' does not parse", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_plan_in_two_folders_is_reported_and_refused_while_serve_status_and_other_plans_keep_working()
    {
        using var repository = await TestRepository.CreateAsync();
        repository.WriteFile(".claude/plans/Review/greeting.md", SamplePlans.Greeting());
        repository.WriteFile(".claude/plans/Active/greeting.md", SamplePlans.Greeting());
        repository.WriteFile(".claude/plans/Review/other.md", SamplePlans.Greeting());

        await using (var planner = await ServerSession.StartAsync(repository, "planner"))
        {
            var list = await planner.CallOkAsync("list_plans");
            Assert.Contains("duplicate_plan", list.GetProperty("bad_files").GetRawText());
            Assert.Contains(list.GetProperty("plans").EnumerateArray(), plan => plan.GetProperty("id").GetString() == "other" && !plan.TryGetProperty("problem", out _));
            var revise = await planner.CallAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting(" Revised.") });
            Assert.True(revise.IsError);
            Assert.Contains("duplicate_plan", ServerSession.Text(revise));
        }

        var status = await repository.CliAsync("status");
        var doctor = await repository.CliAsync("doctor");
        var refused = await repository.CliAsync("approve", "greeting");
        var approved = await repository.ApproveAsync("other");

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("duplicate_plan", status.Output);
        Assert.Contains("other", status.Output);
        Assert.Equal(1, doctor.ExitCode);
        Assert.Contains("Keep the one in the right state", doctor.Output);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("duplicate_plan", refused.Error);
        Assert.True(approved.ExitCode == 0, approved.ToString());
        Assert.Contains("plan 'greeting' is in both Review/ and Active/", InvariantChecker.Check(repository.Root).Violations);
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(File.ReadAllText(Path.Combine(repository.PlansRoot, ".records", "other.json"))).RootElement.ValueKind);
    }
}
