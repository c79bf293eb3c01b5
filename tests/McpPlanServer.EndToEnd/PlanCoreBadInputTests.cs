using System.Text;
using McpPlanServer.EndToEnd.Support;

namespace McpPlanServer.EndToEnd;

/// <summary>
/// Bad input at the real executable's edges: every case is refused with a clear reason (isError, or exit 1 with the
/// reason on stderr) and leaves every file of the repository as it was (the journal records refusals by design).
/// </summary>
public sealed class PlanCoreBadInputTests
{
    public static TheoryData<string, string> BadIds => new()
    {
        { "../x", "dot" },
        { "/abs", "path separator" },
        { string.Empty, "empty" },
        { new string('a', 300), "300" },
        { "a\0b", "control character (U+0000)" },
        { "a\u0007b\u001b", "control character (U+0007)" },
        { "plan.", "dot" },
        { "CON", "upper-case" },
        { "con", "reserved device name" },
        { "caf\u00e9", "non-ASCII character (U+00E9)" },
        { "cafe\u0301", "non-ASCII character (U+0301)" },
    };

    [Theory]
    [MemberData(nameof(BadIds))]
    public async Task Write_plan_with_an_unsafe_id_is_refused_with_the_rule_and_writes_nothing(string id, string reason)
    {
        using var repository = await TestRepository.CreateAsync();
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        var before = repository.Snapshot();

        var result = await planner.CallAsync("write_plan", new { plan_id = id, text = SamplePlans.Greeting() });

        Assert.True(result.IsError, ServerSession.Text(result));
        var text = ServerSession.Text(result);
        Assert.StartsWith("Refused (invalid_", text);
        Assert.Contains(reason, text);
        Assert.Matches("auth-jwt|con-plan|limit", text);
        Assert.DoesNotContain('\0', text);
        Assert.Equal(before, repository.Snapshot());
        Assert.False(Directory.Exists(Path.Combine(repository.PlansRoot, "Review")) && Directory.EnumerateFiles(Path.Combine(repository.PlansRoot, "Review")).Any());
    }

    [Fact]
    public async Task A_50_megabyte_plan_is_refused_naming_the_limit_and_nothing_is_written()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        var before = repository.Snapshot();
        var huge = new StringBuilder(SamplePlans.Greeting()).Append('\n').Append('x', 50 * 1024 * 1024).ToString();

        var result = await planner.CallAsync("write_plan", new { plan_id = "huge", text = huge });

        Assert.True(result.IsError);
        var text = ServerSession.Text(result);
        Assert.StartsWith("Refused (", text);
        Assert.Contains("limit", text);
        Assert.True(text.Length < 2000, "the refusal must not echo the text back");
        Assert.Equal(before, repository.Snapshot());
    }

    [Fact]
    public async Task A_plans_root_that_is_a_symlink_out_of_the_repository_is_refused_and_nothing_lands_outside()
    {
        using var repository = await TestRepository.CreateAsync();
        var outside = Path.Combine(Path.GetTempPath(), "mcpplan-outside-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(outside);
        try
        {
            Directory.CreateDirectory(Path.Combine(repository.Root, ".claude"));
            Directory.CreateSymbolicLink(repository.PlansRoot, outside);
            var before = repository.Snapshot();

            // The server refuses to start on such a root rather than serve files outside the repository.
            var serve = await ProcessRunner.RunAsync(Executable.Path, ["serve", "--role", "planner", "--repo", repository.Root], repository.Root);
            var status = await repository.CliAsync("status");
            var approve = await repository.CliAsync("approve", "escape");

            Assert.All([serve, status, approve], result =>
            {
                Assert.Equal(1, result.ExitCode);
                Assert.Contains("path_outside_repository", result.Error);
                Assert.Contains("symbolic link", result.Error);
            });
            Assert.Equal(before, repository.Snapshot());
            Assert.Empty(Directory.EnumerateFileSystemEntries(outside, "*", SearchOption.AllDirectories));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public async Task Creating_a_plan_whose_id_exists_in_another_state_folder_is_refused_and_the_approved_plan_is_untouched()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        var approve = await repository.ApproveAsync("greeting");
        Assert.True(approve.ExitCode == 0, approve.ToString());
        var before = repository.Snapshot();

        var result = await planner.CallAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting(" Another plan.") });

        Assert.True(result.IsError);
        Assert.Contains("revision_required", ServerSession.Text(result));
        Assert.Contains("choose another id", ServerSession.Text(result));
        Assert.Equal(before, repository.Snapshot());
        Assert.True(File.Exists(Path.Combine(repository.PlansRoot, "Active", "greeting.md")));
        Assert.False(File.Exists(Path.Combine(repository.PlansRoot, "Review", "greeting.md")));
    }

    [Fact]
    public async Task Approving_a_plan_that_fails_lint_exits_1_with_the_findings_and_changes_nothing()
    {
        using var repository = await TestRepository.CreateAsync();
        repository.WriteFile(".claude/plans/Review/handmade.md", "# Plan: Handmade\n\nJust a paragraph, no sections.\n");
        Assert.Equal(0, (await repository.CliAsync("status")).ExitCode);
        var before = repository.Snapshot();

        var result = await repository.CliAsync("approve", "handmade");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("lint_errors", result.Error);
        Assert.Contains("cannot be approved", result.Error);
        Assert.Contains("handmade.md", result.Error);
        Assert.Equal(before, repository.Snapshot());
    }

    [Fact]
    public async Task Completing_a_plan_that_is_not_verified_exits_1_with_the_reason_and_changes_nothing()
    {
        using var repository = await TestRepository.CreateAsync();
        await using (var planner = await ServerSession.StartAsync(repository, "planner"))
        {
            await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        }

        Assert.Equal(0, (await repository.ApproveAsync("greeting")).ExitCode);
        var before = repository.Snapshot();

        var result = await repository.CliAsync("complete", "greeting");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("refused", result.Error);
        Assert.Contains("greeting", result.Error);
        Assert.Empty(result.Output);
        Assert.Equal(before, repository.Snapshot());
        Assert.True(File.Exists(Path.Combine(repository.PlansRoot, "Active", "greeting.md")));
    }

    [Fact]
    public async Task An_immutable_plans_root_refuses_a_revision_with_a_clear_reason_and_nothing_changes()
    {
        Assert.True(File.Exists("/usr/bin/chattr") || File.Exists("/bin/chattr"), "chattr (e2fsprogs) is needed: tests run as root, so chmod cannot stop writes");
        using var repository = await TestRepository.CreateAsync();
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        var before = repository.Snapshot();
        var frozen = await ProcessRunner.RunAsync("chattr", ["-R", "+i", repository.PlansRoot], repository.Root);
        Assert.True(frozen.ExitCode == 0, frozen.ToString());
        try
        {
            var result = await planner.CallAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting(" Version 2."), expected_revision = 1 });

            Assert.True(result.IsError);
            var text = ServerSession.Text(result);
            Assert.Contains("permission_denied", text);
            Assert.Contains("nothing was changed", text);
            Assert.Equal(before, repository.Snapshot());
        }
        finally
        {
            await ProcessRunner.RunAsync("chattr", ["-R", "-i", repository.PlansRoot], repository.Root);
        }

        Assert.Equal(before, repository.Snapshot());
    }

    [Fact]
    public async Task A_plans_root_on_a_read_only_file_system_refuses_writes_with_read_only_and_nothing_changes()
    {
        using var repository = await TestRepository.CreateAsync();
        Directory.CreateDirectory(repository.PlansRoot);
        var mounted = await ProcessRunner.RunAsync("mount", ["-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", repository.PlansRoot], repository.Root);
        Assert.True(mounted.ExitCode == 0, "mounting a read-only tmpfs needs CAP_SYS_ADMIN: " + mounted);
        try
        {
            var before = repository.Snapshot();
            await using (var planner = await ServerSession.StartAsync(repository, "planner"))
            {
                var result = await planner.CallAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });

                Assert.True(result.IsError);
                var text = ServerSession.Text(result);
                Assert.Contains("read_only", text);
                Assert.Contains("read-only file system", text);
            }

            var approve = await repository.ApproveAsync("greeting");
            Assert.Equal(1, approve.ExitCode);
            Assert.Equal(before, repository.Snapshot());
            Assert.Empty(Directory.EnumerateFileSystemEntries(repository.PlansRoot));
        }
        finally
        {
            await ProcessRunner.RunAsync("umount", [repository.PlansRoot], repository.Root);
        }
    }

    [Fact]
    public async Task Cli_exit_codes_are_0_done_1_refused_2_usage()
    {
        using var repository = await TestRepository.CreateAsync();

        Assert.Equal(0, (await repository.CliAsync("status")).ExitCode);

        var missing = await repository.CliAsync("approve", "nope");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("plan_not_found", missing.Error);

        var unknown = await repository.CliAsync("frobnicate");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("frobnicate", unknown.Error);

        var noNote = await repository.CliAsync("request-changes", "nope");
        Assert.Equal(2, noNote.ExitCode);
        Assert.Contains("--note", noNote.Error);

        var noReason = await repository.CliAsync("abandon", "nope");
        Assert.Equal(2, noReason.ExitCode);
        Assert.Contains("--reason", noReason.Error);
    }
}
