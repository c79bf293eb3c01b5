using System.Collections.Concurrent;
using System.Text.Json;
using McpPlanServer.EndToEnd.Support;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpPlanServer.EndToEnd;

/// <summary>The person's approval inside the client (MCP elicitation) and waiting for it without polling.</summary>
public sealed class ApprovalInClientTests
{
    private static McpClientOptions AnsweringWith(Func<ElicitRequestParams?, ElicitResult> answer, ConcurrentQueue<string>? asked = null) => new()
    {
        Capabilities = new ClientCapabilities { Elicitation = new ElicitationCapability() },
        Handlers = new McpClientHandlers
        {
            ElicitationHandler = (request, _) =>
            {
                asked?.Enqueue(request?.Message ?? string.Empty);
                return ValueTask.FromResult(answer(request));
            },
        },
    };

    private static Dictionary<string, JsonElement> Form(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

    [Fact]
    public async Task An_accepted_form_is_journaled_as_the_persons_approval()
    {
        using var repository = await TestRepository.CreateAsync();
        var asked = new ConcurrentQueue<string>();
        await using var planner = await ServerSession.StartAsync(repository, "planner", AnsweringWith(_ => new ElicitResult { Action = "accept", Content = Form("""{"approve": true}""") }, asked));
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });

        var result = await planner.CallOkAsync("request_approval", new { plan_id = "greeting" });

        Assert.Equal("approved", result.GetProperty("decision").GetString());
        Assert.Equal("active", result.GetProperty("state").GetString());
        var question = Assert.Single(asked);
        Assert.Contains("greeting", question);
        Assert.Contains("sha256", question);
        Assert.Contains("0 errors", question);
        var log = await repository.CliAsync("log", "greeting");
        Assert.Contains("approve", log.Output);
        Assert.Contains("via elicitation", log.Output);
        var show = await repository.CliAsync("show", "greeting");
        Assert.Contains("person via", show.Output);
    }

    [Fact]
    public async Task A_declined_form_changes_nothing()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var planner = await ServerSession.StartAsync(repository, "planner", AnsweringWith(_ => new ElicitResult { Action = "decline" }));
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        var before = repository.Snapshot();

        var result = await planner.CallOkAsync("request_approval", new { plan_id = "greeting" });

        Assert.Equal("decline", result.GetProperty("decision").GetString());
        Assert.Equal("review", result.GetProperty("state").GetString());
        Assert.Equal(before, repository.Snapshot());
    }

    [Fact]
    public async Task A_form_that_asks_for_changes_records_the_note()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var planner = await ServerSession.StartAsync(repository, "planner", AnsweringWith(_ => new ElicitResult { Action = "accept", Content = Form("""{"approve": false, "note": "Add a test for empty names."}""") }));
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });

        var result = await planner.CallOkAsync("request_approval", new { plan_id = "greeting" });

        Assert.Equal("changes_requested", result.GetProperty("decision").GetString());
        Assert.Contains("Add a test for empty names.", (await repository.CliAsync("show", "greeting")).Output);
    }

    [Fact]
    public async Task Without_elicitation_the_exact_cli_command_is_named()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });

        var result = await planner.CallOkAsync("request_approval", new { plan_id = "greeting" });

        Assert.Equal("pending", result.GetProperty("decision").GetString());
        Assert.Equal("mcpplan approve greeting", result.GetProperty("approve_command").GetString());
    }

    [Fact]
    public async Task The_config_can_turn_the_form_off()
    {
        using var repository = await TestRepository.CreateAsync();
        repository.WriteFile(".claude/mcpplan.json", """{ "elicitApproval": false }""");
        var asked = new ConcurrentQueue<string>();
        await using var planner = await ServerSession.StartAsync(repository, "planner", AnsweringWith(_ => new ElicitResult { Action = "accept", Content = Form("""{"approve": true}""") }, asked));
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });

        var result = await planner.CallOkAsync("request_approval", new { plan_id = "greeting" });

        Assert.Equal("pending", result.GetProperty("decision").GetString());
        Assert.Empty(asked);
    }

    [Fact]
    public async Task Await_approval_returns_when_the_person_approves_with_progress_on_the_way()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        var progress = new ConcurrentQueue<ProgressNotificationValue>();

        var waiting = planner.Client.CallToolAsync(
            "await_approval",
            new Dictionary<string, object?> { ["plan_id"] = "greeting", ["timeout_seconds"] = 60 },
            new Progress(progress)).AsTask();
        await Task.Delay(1500);
        Assert.False(waiting.IsCompleted);
        Assert.Equal(0, (await repository.CliAsync("approve", "greeting")).ExitCode);
        var result = await waiting;

        Assert.Equal("approved", result.StructuredContent!.Value.GetProperty("outcome").GetString());
        Assert.NotEmpty(progress);
        Assert.Contains("greeting", progress.First().Message);
    }

    [Fact]
    public async Task Await_approval_returns_when_the_person_requests_changes()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });

        var waiting = planner.CallAsync("await_approval", new { plan_id = "greeting", timeout_seconds = 60 });
        await Task.Delay(1000);
        Assert.Equal(0, (await repository.CliAsync("request-changes", "greeting", "--note", "Split step 2.")).ExitCode);
        var result = await waiting;

        Assert.Equal("changes_requested", result.StructuredContent!.Value.GetProperty("outcome").GetString());
        Assert.Contains("Split step 2.", result.StructuredContent!.Value.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Await_approval_times_out_without_changing_anything()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        var before = repository.Snapshot();

        var result = await planner.CallOkAsync("await_approval", new { plan_id = "greeting", timeout_seconds = 1 });

        Assert.Equal("timed_out", result.GetProperty("outcome").GetString());
        Assert.Equal(before, repository.Snapshot());
    }

    private sealed class Progress(ConcurrentQueue<ProgressNotificationValue> values) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value) => values.Enqueue(value);
    }
}
