using System.Text.Json;
using McpPlanServer.EndToEnd.Support;

namespace McpPlanServer.EndToEnd.Reliability;

/// <summary>The parallel loop's invariant checker finds what it is there to find, on a journal and history made by hand.</summary>
public sealed class ParallelInvariantTests
{
    private static string Line(string action, string plan, string detail) =>
        JsonSerializer.Serialize(new { at = DateTimeOffset.UtcNow, actor = "implementer", action, planId = plan, outcome = "ok", detail });

    private static async Task<string> CommitAsync(TestRepository repository, string file, string plan, long fence)
    {
        repository.WriteFile(file, $"{plan} {fence}\n");
        await repository.GitAsync("add", file);
        await repository.GitAsync("commit", "-q", "-m", $"step of {plan}\n\nPlan-Id: {plan}\nPlan-Step: 1\nPlan-Claim: {fence}");
        return (await repository.GitAsync("rev-parse", "HEAD")).Trim()[..12];
    }

    [Fact]
    public async Task The_checker_finds_two_live_claims_a_reused_fence_a_commit_under_a_claim_not_live_and_a_lost_file()
    {
        using var repository = await TestRepository.CreateAsync();
        var readme = (await repository.GitAsync("rev-parse", "main:README.md")).Trim();
        var underDeadClaim = await CommitAsync(repository, "src/p.txt", "p", 7);
        var underLiveClaim = await CommitAsync(repository, "src/r.txt", "r", 3);
        repository.WriteFile(".claude/plans/journal.jsonl", string.Join('\n',
        [
            Line("claim", "p", "claim 1 by session a"),
            Line("claim", "p", "claim 2 by session b"),
            Line("release_plan", "p", "claim 2 released"),
            Line("commit_step", "p", $"step 1: {underDeadClaim} (1 files)"),
            Line("claim", "q", "claim 1 by session c"),
            Line("claim", "r", "claim 3 by session d"),
            Line("commit_step", "r", $"step 1: {underLiveClaim} (1 files)"),
            Line("release", "r", "claim 3 of session d broken"),
        ]) + "\n");

        var report = InvariantChecker.CheckParallel(repository.Root, "main", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["README.md"] = readme,
            ["docs/gone.txt"] = readme,
        });

        var violations = string.Join('\n', report.Violations);
        Assert.Contains("plan 'p' got claim 2 while claim 1 was live", violations);
        Assert.Contains("fence 1 handed out again", violations);
        Assert.Contains($"step commit {underDeadClaim} of 'p' carries claim 7, which was not the live claim (1)", violations);
        Assert.Contains("docs/gone.txt, committed on main before the run, is gone from it", violations);
        Assert.DoesNotContain("of 'r' carries", violations);
        Assert.DoesNotContain("'r' got claim", violations);
        Assert.DoesNotContain("README.md", violations);
    }

    [Fact]
    public async Task The_checker_finds_a_plan_completed_without_a_verifying_review_or_after_its_plan_was_reopened()
    {
        using var repository = await TestRepository.CreateAsync();
        repository.WriteFile(".claude/plans/journal.jsonl", string.Join('\n',
        [
            Line("submit_review", "good", "review 1: 95 → verified"),
            Line("complete", "good", "2/2 steps, last score 95, verified commit 0123456789ab, integrated as 0123456789ab"),
            Line("submit_review", "failed", "review 1: 60 → changes_requested"),
            Line("complete", "failed", "2/2 steps, last score 60"),
            Line("submit_review", "reopened", "review 1: 95 → verified"),
            Line("request_changes", "reopened", "the person asked for changes"),
            Line("complete", "reopened", "2/2 steps, last score 95"),
        ]) + "\n");

        var violations = string.Join('\n', InvariantChecker.CheckParallel(repository.Root, "main", new Dictionary<string, string>(StringComparer.Ordinal)).Violations);

        Assert.Contains("plan 'failed' was completed", violations);
        Assert.Contains("plan 'reopened' was completed", violations);
        Assert.DoesNotContain("'good'", violations);
        Assert.True(InvariantChecker.VerifiedSince(repository.Root, "reopened", mark: 4));
        Assert.False(InvariantChecker.VerifiedSince(repository.Root, "reopened", mark: 5));
        Assert.Equal(7, InvariantChecker.JournalLength(repository.Root));
    }
}
