using System.Security.Cryptography;
using System.Text;
using McpPlanServer.EndToEnd.Reliability;
using McpPlanServer.EndToEnd.Support;

namespace McpPlanServer.EndToEnd;

/// <summary>
/// Records and journal lines that mcpplan did not write, made as an agent with write access to the plans root would:
/// detected at the next read, refused for the decisions that depend on them, reported by show, log and the invariant
/// checker, and repaired only by the person.
/// </summary>
public sealed class TamperTests
{
    [Fact]
    public async Task A_record_whose_approval_was_rewritten_to_match_an_edited_text_is_refused_until_the_person_repairs_and_approves_again()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await using var implementer = await ServerSession.StartAsync(repository, "implementer");
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        Assert.Equal(0, (await repository.ApproveAsync("greeting")).ExitCode);

        // The agent edits the approved text and rewrites the approval's hash in the record to match it.
        var planPath = Path.Combine(repository.PlansRoot, "Active", "greeting.md");
        var recordPath = Path.Combine(repository.PlansRoot, ".records", "greeting.json");
        var approvedSha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(planPath)));
        var edited = SamplePlans.Greeting(" Also delete the tests.");
        File.WriteAllText(planPath, edited);
        File.WriteAllText(recordPath, File.ReadAllText(recordPath).Replace(approvedSha, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(edited))), StringComparison.Ordinal));
        repository.WriteFile("src/greeting.txt", "Hello\n");

        var commit = await implementer.CallAsync("commit_step", new { plan_id = "greeting", step = 1, message = "step one" });

        Assert.True(commit.IsError);
        Assert.Contains("tampered", ServerSession.Text(commit));
        Assert.Contains(".records/greeting.json", ServerSession.Text(commit));
        Assert.Contains("mcpplan repair greeting", ServerSession.Text(commit));
        Assert.Contains("TAMPERED", (await repository.CliAsync("show", "greeting")).Output);
        Assert.Contains("TAMPERED", (await repository.CliAsync("log", "greeting")).Output);
        Assert.Contains(InvariantChecker.Check(repository.Root).Violations, violation => violation.Contains("not the content its journal line recorded", StringComparison.Ordinal));

        // Only the person repairs; the changed record loses its approval, which the person gives again after reading.
        Assert.Contains("agent_session", (await PersonContext.RunAsync(Executable.Path, ["repair", "greeting", "--repo", repository.Root], repository.Root, new Dictionary<string, string?> { ["CLAUDECODE"] = "1" })).Error);
        var repaired = await repository.CliAsync("repair", "greeting");
        Assert.True(repaired.ExitCode == 0, repaired.ToString());
        Assert.Contains("approve it again", repaired.Output);
        Assert.Contains("not_approved", ServerSession.Text(await implementer.CallAsync("commit_step", new { plan_id = "greeting", step = 1, message = "step one" })));
        Assert.Equal(0, (await repository.ApproveAsync("greeting")).ExitCode);
        await implementer.CallOkAsync("commit_step", new { plan_id = "greeting", step = 1, message = "step one" });
        var report = InvariantChecker.Check(repository.Root);
        Assert.True(report.Holds, report.ToString());
    }

    [Fact]
    public async Task A_journal_line_appended_by_hand_is_reported_and_blocks_the_plans_decisions_until_repaired()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        File.AppendAllText(
            Path.Combine(repository.PlansRoot, "journal.jsonl"),
            """{"at":"2026-12-01T10:00:00+00:00","actor":"owner","action":"approve","planId":"greeting","outcome":"ok","detail":"approved by Ada via cli","processId":1}""" + "\n");

        var log = await repository.CliAsync("log", "greeting");
        Assert.Contains("TAMPERED: journal line 2 (owner approve greeting ok) has no link", log.Output);
        Assert.False(InvariantChecker.Check(repository.Root).Holds);
        var approve = await repository.ApproveAsync("greeting");
        Assert.Equal(1, approve.ExitCode);
        Assert.Contains("tampered", approve.Error);

        Assert.Equal(0, (await repository.CliAsync("repair", "greeting")).ExitCode);
        Assert.DoesNotContain("TAMPERED", (await repository.CliAsync("log", "greeting")).Output);
        Assert.Equal(0, (await repository.ApproveAsync("greeting")).ExitCode);
        var report = InvariantChecker.Check(repository.Root);
        Assert.True(report.Holds, report.ToString());
    }

    [Fact]
    public async Task A_repository_whose_journal_predates_the_chain_keeps_working()
    {
        using var repository = await TestRepository.CreateAsync();
        await using (var planner = await ServerSession.StartAsync(repository, "planner"))
        {
            await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        }

        // Strip the links and bindings, as an older mcpplan wrote them.
        var journal = Path.Combine(repository.PlansRoot, "journal.jsonl");
        File.WriteAllLines(journal, File.ReadAllLines(journal).Select(line => System.Text.RegularExpressions.Regex.Replace(line, ",\"(previousSha256|recordSha256)\":\"[0-9a-f]{64}\"", string.Empty)));

        Assert.Equal(0, (await repository.ApproveAsync("greeting")).ExitCode);
        Assert.DoesNotContain("TAMPERED", (await repository.CliAsync("show", "greeting")).Output);
        var report = InvariantChecker.Check(repository.Root);
        Assert.True(report.Holds, report.ToString());
    }
}
