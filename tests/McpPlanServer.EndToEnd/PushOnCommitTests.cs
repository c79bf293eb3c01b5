using McpPlanServer.EndToEnd.Support;

namespace McpPlanServer.EndToEnd;

/// <summary>
/// Code stays in git (issue 19 item 2): with <c>pushRemote</c> configured, commit_step pushes the plan's branch to a
/// shared bare repository; when a teammate's push makes the remote diverge, commit_step is refused, nothing is recorded,
/// the local commit stays, and the retry after a merge pushes that same commit and records it.
/// </summary>
public sealed class PushOnCommitTests
{
    [Fact]
    public async Task Commit_step_pushes_and_a_rejected_push_records_nothing_until_the_retry_pushes_the_same_commit()
    {
        var bare = Path.Combine(Path.GetTempPath(), "mcpplan-e2e-remote-" + Guid.NewGuid().ToString("N")[..12]);
        using var repository = await TestRepository.CreateAsync();
        try
        {
            Assert.Equal(0, (await ProcessRunner.RunAsync("git", ["init", "-q", "--bare", "-b", "main", bare], Path.GetTempPath())).ExitCode);
            repository.WriteFile(".claude/mcpplan.json", """{ "pushRemote": "origin" }""");
            await repository.GitAsync("add", ".claude/mcpplan.json");
            await repository.GitAsync("commit", "-q", "-m", "configure mcpplan");
            await repository.GitAsync("remote", "add", "origin", bare);
            await repository.GitAsync("push", "-q", "origin", "main");
            await repository.GitAsync("checkout", "-q", "-b", "plan/greeting");
            await using var planner = await ServerSession.StartAsync(repository, "planner");
            await using var implementer = await ServerSession.StartAsync(repository, "implementer");
            await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
            Assert.Equal(0, (await repository.ApproveAsync("greeting")).ExitCode);

            repository.WriteFile("src/greeting.txt", "Hello, {name}!\n");
            var step1 = await implementer.CallOkAsync("commit_step", new { plan_id = "greeting", step = 1, message = "Add the greeting", paths = new[] { "src/greeting.txt" } });
            var sha1 = step1.GetProperty("commit").GetString()!;
            Assert.Equal(sha1, await Git(bare, "rev-parse", "refs/heads/plan/greeting"));
            var pushed = await implementer.CallOkAsync("read_active_plan", new { plan_id = "greeting" });
            Assert.Equal("origin", pushed.GetProperty("remote").GetString());
            Assert.Empty(pushed.GetProperty("commits_not_on_remote").EnumerateArray());

            // What this clone knows of the remote is its remote-tracking branches: without them the views say so.
            await repository.GitAsync("update-ref", "-d", "refs/remotes/origin/plan/greeting");
            await repository.GitAsync("update-ref", "-d", "refs/remotes/origin/main");
            var unknown = await implementer.CallOkAsync("read_active_plan", new { plan_id = "greeting" });
            Assert.Equal(sha1, unknown.GetProperty("commits_not_on_remote")[0].GetString());
            Assert.Contains($"Not yet on remote 'origin': {sha1[..12]}", (await repository.CliAsync("show", "greeting")).Output);
            var status = (await repository.CliAsync("status")).Output;
            Assert.Contains("REMOTE", status);
            Assert.Contains("1 not pushed", status);

            // A teammate on another machine pushes to the same branch: the remote now has a commit this clone lacks.
            using var teammate = await TestRepository.CloneAsync(repository);
            await teammate.GitAsync("remote", "set-url", "origin", bare);
            await teammate.GitAsync("fetch", "-q", "origin");
            await teammate.GitAsync("checkout", "-q", "-B", "plan/greeting", "origin/plan/greeting");
            teammate.WriteFile("docs/note.md", "a teammate's note\n");
            await teammate.GitAsync("add", "docs/note.md");
            await teammate.GitAsync("-c", "user.name=Mate", "-c", "user.email=mate@example.com", "commit", "-q", "-m", "teammate note");
            await teammate.GitAsync("push", "-q", "origin", "plan/greeting");
            var remoteTip = await Git(bare, "rev-parse", "refs/heads/plan/greeting");

            repository.WriteFile("tests/greeting_test.sh", "expect: Hello, Ada!\n");
            var rejected = await implementer.CallAsync("commit_step", new { plan_id = "greeting", step = 2, message = "Add the test", paths = new[] { "tests/greeting_test.sh" } });
            Assert.True(rejected.IsError, ServerSession.Text(rejected));
            var refusal = ServerSession.Text(rejected);
            Assert.Contains("push_rejected", refusal);
            Assert.Contains("Nothing was recorded as done", refusal);
            Assert.Contains("commit_step for step 2 again", refusal);
            var localCommit = await repository.GitAsync("rev-parse", "HEAD");
            Assert.NotEqual(sha1, localCommit.Trim());
            Assert.Equal(remoteTip, await Git(bare, "rev-parse", "refs/heads/plan/greeting"));
            var plan = await implementer.CallOkAsync("read_active_plan", new { plan_id = "greeting" });
            Assert.False(plan.GetProperty("steps")[1].GetProperty("done").GetBoolean());

            // A retry without fixing the cause is refused the same way and still records nothing.
            var again = await implementer.CallAsync("commit_step", new { plan_id = "greeting", step = 2, message = "Add the test", paths = new[] { "tests/greeting_test.sh" } });
            Assert.Contains("push_rejected", ServerSession.Text(again));

            await repository.GitAsync("fetch", "-q", "origin");
            await repository.GitAsync("merge", "-q", "--no-edit", "origin/plan/greeting");
            var retried = await implementer.CallOkAsync("commit_step", new { plan_id = "greeting", step = 2, message = "Add the test", paths = new[] { "tests/greeting_test.sh" } });
            Assert.Equal(localCommit.Trim(), retried.GetProperty("commit").GetString());
            var merged = await Git(bare, "rev-parse", "refs/heads/plan/greeting");
            Assert.Equal(0, (await ProcessRunner.RunAsync("git", ["--git-dir", bare, "merge-base", "--is-ancestor", localCommit.Trim(), merged], Path.GetTempPath())).ExitCode);
            plan = await implementer.CallOkAsync("read_active_plan", new { plan_id = "greeting" });
            Assert.True(plan.GetProperty("steps")[1].GetProperty("done").GetBoolean());
            Assert.Equal(localCommit.Trim(), plan.GetProperty("steps")[1].GetProperty("commits")[0].GetString());
            Assert.Empty(plan.GetProperty("commits_not_on_remote").EnumerateArray());
            Assert.Contains("every step commit is on it", (await repository.CliAsync("show", "greeting")).Output);
            Assert.Contains("pushed", (await repository.CliAsync("status")).Output);
            Assert.DoesNotContain("not pushed", (await repository.CliAsync("status")).Output);
        }
        finally
        {
            if (Directory.Exists(bare))
            {
                Directory.Delete(bare, recursive: true);
            }
        }
    }

    private static async Task<string> Git(string gitDirectory, params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync("git", ["--git-dir", gitDirectory, .. arguments], Path.GetTempPath());
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Output.Trim();
    }
}
