using McpPlanServer.EndToEnd.Support;
using McpPlanServer.Tests.Support;

namespace McpPlanServer.EndToEnd;

/// <summary>
/// The real server with its store in PostgreSQL: a plan driven through the whole implementer loop with nothing under the
/// plans root, exported to files afterwards; and a change made through one machine's server reaching another machine's
/// server (another clone, the same database) as <c>list_changed</c> within a second.
/// </summary>
public sealed class PostgresStoreTests
{
    private static void UseDatabase(TestRepository repository, string connection, string id) =>
        repository.WriteFile(".claude/mcpplan.json", $$"""{ "store": { "kind": "postgres", "connection": "{{connection}}", "repository": "{{id}}" } }""");

    [Fact]
    public async Task A_plan_goes_from_write_plan_to_submitted_with_every_state_in_the_database_and_exports_to_files()
    {
        var connection = PostgresCluster.Shared.CreateDatabase();
        using var repository = await TestRepository.CreateAsync();
        UseDatabase(repository, connection, "loop");
        await repository.GitAsync("add", ".claude/mcpplan.json");
        await repository.GitAsync("commit", "-q", "-m", "plans in PostgreSQL");
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await using var implementer = await ServerSession.StartAsync(repository, "implementer");

        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        Assert.Equal(0, (await repository.ApproveAsync("greeting", "--by", "Ada")).ExitCode);
        repository.WriteFile("src/greeting.txt", "Hello, {name}!\n");
        await implementer.CallOkAsync("commit_step", new { plan_id = "greeting", step = 1, message = "Add the greeting template" });
        repository.WriteFile("tests/greeting_test.sh", "expect: Hello, Ada!\n");
        await implementer.CallOkAsync("commit_step", new { plan_id = "greeting", step = 2, message = "Add the greeting test", paths = new[] { "tests/greeting_test.sh" } });
        var handedIn = await implementer.CallOkAsync("submit_for_review", new { plan_id = "greeting" });

        Assert.Equal("in_review", handedIn.GetProperty("status").GetString());
        Assert.False(Directory.Exists(Path.Combine(repository.PlansRoot, "Active")), "the plan must live in the database, not in files");
        var status = await repository.CliAsync("status");
        Assert.Contains("greeting", status.Output);

        var exported = await repository.CliAsync("store", "export");
        Assert.True(exported.ExitCode == 0, exported.ToString());
        Assert.Contains("both sides hold the same", exported.Output);
        Assert.True(File.Exists(Path.Combine(repository.PlansRoot, "Active", "greeting.md")));
        Assert.Contains("\"revision\"", File.ReadAllText(Path.Combine(repository.PlansRoot, ".records", "greeting.json")));
        var doctor = await repository.CliAsync("doctor");
        Assert.True(doctor.ExitCode == 0, doctor.ToString());
    }

    [Fact]
    public async Task A_plan_written_through_one_machines_server_reaches_the_other_machines_server_as_list_changed_within_a_second()
    {
        var connection = PostgresCluster.Shared.CreateDatabase();
        using var first = await TestRepository.CreateAsync();
        UseDatabase(first, connection, "shared");
        await first.GitAsync("add", ".claude/mcpplan.json");
        await first.GitAsync("commit", "-q", "-m", "plans in PostgreSQL");
        using var second = await TestRepository.CloneAsync(first);
        await using var planner = await ServerSession.StartAsync(first, "planner");
        await using var observer = await ServerSession.StartAsync(second, "observer");
        await observer.ToolNamesAsync();
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        Assert.Empty(observer.Notifications);

        await planner.CallOkAsync("write_plan", new { plan_id = "shared-plan", text = SamplePlans.Greeting() });
        var deadline = DateTime.UtcNow.AddSeconds(1);
        while (observer.Notifications.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.NotEmpty(observer.Notifications);
        var listed = await observer.CallOkAsync("list_plans");
        Assert.Contains("shared-plan", listed.ToString());
    }

    [Fact]
    public async Task A_change_made_by_another_machines_process_reaches_an_http_session_as_list_changed_within_a_second()
    {
        var connection = PostgresCluster.Shared.CreateDatabase();
        using var first = await TestRepository.CreateAsync();
        UseDatabase(first, connection, "shared-http");
        await first.GitAsync("add", ".claude/mcpplan.json");
        await first.GitAsync("commit", "-q", "-m", "plans in PostgreSQL");
        using var second = await TestRepository.CloneAsync(first);
        var token = await HttpServerProcess.IssueTokenAsync(first, "implementer", "remote-one");
        await using var server = await HttpServerProcess.StartAsync(first);
        await using var http = await ServerSession.StartHttpAsync(server.Endpoint, token, "implementer");
        await http.ToolNamesAsync();
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        Assert.Empty(http.Notifications);

        // Another process on another clone: the planner's stdio server there writes a plan; only the database connects them.
        await using (var planner = await ServerSession.StartAsync(second, "planner"))
        {
            await planner.CallOkAsync("write_plan", new { plan_id = "over-http", text = SamplePlans.Greeting() });
        }

        var deadline = DateTime.UtcNow.AddSeconds(1);
        while (http.Notifications.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.NotEmpty(http.Notifications);
        Assert.Contains("over-http", (await http.CallOkAsync("list_plans")).ToString());

        // The person's decision from the other clone's terminal reaches it too.
        var heard = http.Notifications.Count;
        Assert.Equal(0, (await second.ApproveAsync("over-http", "--by", "Ada")).ExitCode);
        deadline = DateTime.UtcNow.AddSeconds(1);
        while (http.Notifications.Count == heard && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.True(http.Notifications.Count > heard, "the approval made on the other clone did not reach the HTTP session within a second");
        Assert.Equal("over-http", (await http.CallOkAsync("read_active_plan", new { plan_id = "over-http" })).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_server_killed_between_the_journal_line_and_the_record_leaves_nothing_of_the_change_in_the_database()
    {
        var connection = PostgresCluster.Shared.CreateDatabase();
        using var repository = await TestRepository.CreateAsync();
        UseDatabase(repository, connection, "killed");
        var planner = await ServerSession.StartAsync(repository, "planner", environment: new Dictionary<string, string?> { ["MCPPLAN_FAULT"] = "postgres:before-record" });
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => planner.CallAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() }));
        }
        finally
        {
            try
            {
                await planner.DisposeAsync();
            }
            catch (Exception error) when (error is IOException or InvalidOperationException or OperationCanceledException)
            {
                // The server is already dead.
            }
        }

        await using var next = await ServerSession.StartAsync(repository, "planner");
        Assert.Equal(0, (await next.CallOkAsync("list_plans")).GetProperty("total").GetInt32());
        var log = await repository.CliAsync("log");
        Assert.DoesNotContain("write_plan", log.Output);
        await next.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        Assert.Equal(1, (await next.CallOkAsync("list_plans")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Init_with_a_store_imports_the_file_plans_and_writes_the_connection_without_its_password()
    {
        var connection = PostgresCluster.Shared.CreateDatabase();
        using var repository = await TestRepository.CreateAsync();
        await using (var files = await ServerSession.StartAsync(repository, "planner"))
        {
            await files.CallOkAsync("write_plan", new { plan_id = "before-switch", text = SamplePlans.Greeting() });
        }

        var parts = connection.Split(';').Select(part => part.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair[1]);
        var url = $"postgres://postgres:not-needed-here@127.0.0.1:{parts["Port"]}/{parts["Database"]}";
        var init = await repository.CliAsync("init", "--allow-machine-path", "--store", url, "--store-repository", "switched");

        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.Contains("Imported 1 plan(s)", init.Output);
        Assert.Contains("password was used once and not written", init.Output);
        var config = File.ReadAllText(Path.Combine(repository.Root, ".claude", "mcpplan.json"));
        Assert.DoesNotContain("not-needed-here", config);
        Assert.Contains("\"repository\": \"switched\"", config);

        Directory.Delete(repository.PlansRoot, recursive: true);
        await using var database = await ServerSession.StartAsync(repository, "planner");
        Assert.Contains("before-switch", (await database.CallOkAsync("list_plans")).ToString());
    }
}
