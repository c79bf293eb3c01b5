using System.Collections.Concurrent;
using System.Text.Json;
using McpPlanServer.EndToEnd.Support;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpPlanServer.EndToEnd;

/// <summary>
/// The in-client approval form (MCP elicitation): off by default, never offered where a hook could answer it, and its
/// answer recorded as the client's word. Waiting for the person's decision without polling.
/// </summary>
public sealed class ApprovalInClientTests
{
    private const string FormOn = """{ "elicitApproval": true }""";

    private static McpClientOptions AnsweringWith(Func<ElicitRequestParams?, ElicitResult> answer, ConcurrentQueue<string>? asked = null) => new()
    {
        ClientInfo = new Implementation { Name = "scripted-client", Version = "1.0" },
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
    public async Task An_accepted_form_is_journaled_as_the_clients_word_and_flagged_on_every_view()
    {
        using var repository = await TestRepository.CreateAsync();
        repository.WriteFile(".claude/mcpplan.json", FormOn);
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
        Assert.Contains("scripted-client (form)", show.Output);
        Assert.Contains("FLAGGED", show.Output);
        Assert.Contains("client's word", show.Output);
        var read = await planner.CallOkAsync("read_plan", new { plan_id = "greeting" });
        Assert.False(read.GetProperty("approval").GetProperty("person_channel").GetBoolean());
        Assert.Equal("elicitation", read.GetProperty("approval").GetProperty("channel").GetString());
        Assert.Equal("scripted-client", read.GetProperty("approval").GetProperty("evidence").GetProperty("client").GetString());
    }

    [Fact]
    public async Task The_form_is_off_by_default_and_the_cli_command_carries_the_hash()
    {
        using var repository = await TestRepository.CreateAsync();
        var asked = new ConcurrentQueue<string>();
        await using var planner = await ServerSession.StartAsync(repository, "planner", AnsweringWith(_ => new ElicitResult { Action = "accept", Content = Form("""{"approve": true}""") }, asked));
        var written = await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });

        var result = await planner.CallOkAsync("request_approval", new { plan_id = "greeting" });

        Assert.Empty(asked);
        Assert.Equal("pending", result.GetProperty("decision").GetString());
        Assert.Equal($"mcpplan approve greeting --sha {written.GetProperty("sha256").GetString()![..16]}", result.GetProperty("approve_command").GetString());
    }

    [Theory]
    [InlineData(".claude/settings.json", "Elicitation")]
    [InlineData(".claude/settings.local.json", "ElicitationResult")]
    public async Task A_hook_that_can_answer_forms_keeps_the_form_away(string settingsFile, string hookEvent)
    {
        using var repository = await TestRepository.CreateAsync();
        repository.WriteFile(".claude/mcpplan.json", FormOn);
        repository.WriteFile(settingsFile, $$"""{ "hooks": { "{{hookEvent}}": [ { "hooks": [ { "type": "command", "command": "./answer-every-form.sh" } ] } ] } }""");
        var asked = new ConcurrentQueue<string>();
        await using var planner = await ServerSession.StartAsync(repository, "planner", AnsweringWith(_ => new ElicitResult { Action = "accept", Content = Form("""{"approve": true}""") }, asked));
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });

        var result = await planner.CallOkAsync("request_approval", new { plan_id = "greeting" });

        Assert.Empty(asked);
        Assert.Equal("pending", result.GetProperty("decision").GetString());
        var message = result.GetProperty("message").GetString()!;
        Assert.True(message.Contains($"{hookEvent} hook", StringComparison.Ordinal), message);
        Assert.Contains("mcpplan approve greeting --sha", result.GetProperty("approve_command").GetString());
    }

    [Fact]
    public async Task An_accept_without_the_approve_field_is_an_invalid_answer_that_changes_nothing()
    {
        using var repository = await TestRepository.CreateAsync();
        repository.WriteFile(".claude/mcpplan.json", FormOn);
        await using var planner = await ServerSession.StartAsync(repository, "planner", AnsweringWith(_ => new ElicitResult { Action = "accept", Content = Form("""{"note": "looks fine"}""") }));
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        var before = repository.Snapshot();

        var result = await planner.CallAsync("request_approval", new { plan_id = "greeting" });

        Assert.True(result.IsError);
        Assert.Contains("invalid_answer", ServerSession.Text(result));
        Assert.Equal(before, repository.Snapshot());
        Assert.Contains("review", (await repository.CliAsync("status")).Output);
    }

    [Fact]
    public async Task A_risky_plan_needs_a_persons_channel_so_the_form_cannot_approve_it()
    {
        using var repository = await TestRepository.CreateAsync();
        repository.WriteFile(".claude/mcpplan.json", """{ "elicitApproval": true, "personChannelFromRisk": "Low" }""");
        await using var planner = await ServerSession.StartAsync(repository, "planner", AnsweringWith(_ => new ElicitResult { Action = "accept", Content = Form("""{"approve": true}""") }));
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        var before = repository.Snapshot();

        var result = await planner.CallAsync("request_approval", new { plan_id = "greeting" });

        Assert.True(result.IsError);
        Assert.Contains("person_channel_required", ServerSession.Text(result));
        Assert.Equal(before, repository.Snapshot());
    }

    [Fact]
    public async Task A_declined_form_changes_nothing()
    {
        using var repository = await TestRepository.CreateAsync();
        repository.WriteFile(".claude/mcpplan.json", FormOn);
        await using var planner = await ServerSession.StartAsync(repository, "planner", AnsweringWith(_ => new ElicitResult { Action = "decline" }));
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        var before = repository.Snapshot();

        var result = await planner.CallOkAsync("request_approval", new { plan_id = "greeting" });

        Assert.Equal("decline", result.GetProperty("decision").GetString());
        Assert.Equal("review", result.GetProperty("state").GetString());
        Assert.Equal(before, repository.Snapshot());
        var log = (await repository.CliAsync("log", "greeting")).Output;
        Assert.Contains("was declined", log);
        Assert.DoesNotContain("declineed", log);
    }

    [Fact]
    public async Task A_form_that_asks_for_changes_records_the_note()
    {
        using var repository = await TestRepository.CreateAsync();
        repository.WriteFile(".claude/mcpplan.json", FormOn);
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
        repository.WriteFile(".claude/mcpplan.json", FormOn);
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        var written = await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });

        var result = await planner.CallOkAsync("request_approval", new { plan_id = "greeting" });

        Assert.Equal("pending", result.GetProperty("decision").GetString());
        Assert.Equal($"mcpplan approve greeting --sha {written.GetProperty("sha256").GetString()![..16]}", result.GetProperty("approve_command").GetString());
    }

    [Fact]
    public async Task Await_approval_returns_when_the_person_approves_with_progress_on_the_way()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        var progress = new Progress();

        var waiting = AwaitApproval(planner, progress);
        await progress.First.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.False(waiting.IsCompleted);
        Assert.Equal(0, (await repository.ApproveAsync("greeting")).ExitCode);
        var result = await waiting;

        Assert.Equal("approved", result.StructuredContent!.Value.GetProperty("outcome").GetString());
        Assert.Contains("greeting", (await progress.First).Message);
    }

    [Fact]
    public async Task Await_approval_returns_when_the_person_requests_changes()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });

        var progress = new Progress();
        var waiting = AwaitApproval(planner, progress);
        await progress.First.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
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

    /// <summary>Starts await_approval; the first progress notification says the server is waiting (no fixed delays).</summary>
    private static Task<CallToolResult> AwaitApproval(ServerSession planner, Progress progress) =>
        planner.Client.CallToolAsync(
            "await_approval",
            new Dictionary<string, object?> { ["plan_id"] = "greeting", ["timeout_seconds"] = 60 },
            progress).AsTask();

    private sealed class Progress : IProgress<ProgressNotificationValue>
    {
        private readonly TaskCompletionSource<ProgressNotificationValue> first = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<ProgressNotificationValue> First => first.Task;

        public void Report(ProgressNotificationValue value) => first.TrySetResult(value);
    }
}
