using System.Text.Json;
using Json.Schema;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Records;
using McpPlanServer.Mcp.Tools;
using McpPlanServer.Tests.Workflow;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpPlanServer.Tests.Mcp;

/// <summary>
/// Every tool's structured result matches the output schema it publishes: each tool of each role is driven for real
/// (a whole loop on a temporary git repository) and its result is validated with a JSON Schema validator.
/// </summary>
public sealed class ToolOutputSchemaTests : IDisposable
{
    private readonly WorkflowRepository repository = new("sh tests/check.sh");
    private readonly HashSet<string> validated = new(StringComparer.Ordinal);

    [Fact]
    public async Task Every_tool_result_matches_its_output_schema()
    {
        await using var planner = await InProcessServer.StartAsync(Actor.Planner, workflow: repository.Workflow, cancellationToken: TestContext.Current.CancellationToken);
        await using var implementer = await InProcessServer.StartAsync(Actor.Implementer, workflow: repository.Workflow, cancellationToken: TestContext.Current.CancellationToken);
        await using var observer = await InProcessServer.StartAsync(Actor.Observer, workflow: repository.Workflow, cancellationToken: TestContext.Current.CancellationToken);
        var tools = new Dictionary<string, Tool>(StringComparer.Ordinal);
        foreach (var server in new[] { planner, implementer, observer })
        {
            foreach (var tool in await server.Client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken))
            {
                tools[tool.Name] = tool.ProtocolTool;
            }
        }

        var id = WorkflowRepository.Id;
        await Call(planner, tools, "write_plan", new() { ["plan_id"] = id, ["text"] = WorkflowRepository.PlanText });
        await Call(planner, tools, "request_approval", new() { ["plan_id"] = id });
        var withTests = WorkflowRepository.PlanText + "\n## Acceptance Tests\n**Command**: `sh tests/acceptance/value_test.sh`\n\n- `tests/acceptance/value_test.sh`\n";
        await Call(planner, tools, "write_plan", new() { ["plan_id"] = "with-tests", ["text"] = withTests });
        await Call(planner, tools, "write_acceptance_file", new() { ["plan_id"] = "with-tests", ["path"] = "tests/acceptance/value_test.sh", ["content"] = "exit 0\n" });
        // The workflow's clock is a FakeTimeProvider: the wait ends when the test moves time past the timeout.
        var waiting = Call(planner, tools, "await_approval", new() { ["plan_id"] = id, ["timeout_seconds"] = 1 });
        while (!waiting.IsCompleted)
        {
            repository.Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(waiting, Task.Delay(50, TestContext.Current.CancellationToken));
        }

        await waiting;
        repository.Workflow.Approve(id, "Ada", ApprovalChannels.Cli, null, repository.Workflow.ReadPlan(id).TextSha256);
        await Call(planner, tools, "await_approval", new() { ["plan_id"] = id });
        await Call(implementer, tools, "read_active_plan", new() { ["plan_id"] = id, ["claim"] = true });
        await Call(implementer, tools, "release_plan", new() { ["plan_id"] = id });
        await Call(implementer, tools, "report_blocker", new() { ["plan_id"] = id, ["question"] = "Which value?", ["step"] = 1 });
        await Call(planner, tools, "answer_blocker", new() { ["plan_id"] = id, ["blocker_id"] = 1, ["answer"] = "a = 2" });
        await Call(implementer, tools, "await_answer", new() { ["plan_id"] = id, ["blocker_id"] = 1 });
        repository.Git.Write("src/value.txt", "a = 2\n");
        await Call(implementer, tools, "commit_step", new() { ["plan_id"] = id, ["step"] = 1, ["message"] = "Write the value" });
        repository.Git.Write("tests/check.sh", WorkflowRepository.Check);
        await Call(implementer, tools, "commit_step", new() { ["plan_id"] = id, ["step"] = 2, ["message"] = "Add the check", ["paths"] = new[] { "tests/check.sh" } });
        await Call(implementer, tools, "submit_for_review", new() { ["plan_id"] = id });
        await Call(planner, tools, "review_implementation", new() { ["plan_id"] = id });
        var criteria = WorkflowRepository.Answers().Select(answer => new Dictionary<string, object?> { ["item"] = answer.Item, ["met"] = answer.Met, ["evidence"] = answer.Evidence }).ToArray();
        var scores = repository.Config.Rubric.ToDictionary(category => category.Name, _ => (object?)95);
        await Call(planner, tools, "submit_review", new() { ["plan_id"] = id, ["scores"] = scores, ["summary"] = "Both steps as planned.", ["criteria"] = criteria });
        await Call(observer, tools, "list_plans", new());
        await Call(observer, tools, "read_plan", new() { ["plan_id"] = id });

        Assert.Equal(tools.Keys.Order(StringComparer.Ordinal), validated.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_result_missing_a_required_field_fails_validation()
    {
        var schema = JsonSchema.FromText(Schemas.PlanState);
        using var result = JsonDocument.Parse("""{"id":"x","state":"review"}""");

        Assert.False(schema.Evaluate(result.RootElement).IsValid);
    }

    public void Dispose() => repository.Dispose();

    private async Task Call(InProcessServer server, Dictionary<string, Tool> tools, string name, Dictionary<string, object?> arguments)
    {
        var result = await server.Client.CallToolAsync(name, arguments);
        var text = string.Join("\n", result.Content.OfType<TextContentBlock>().Select(block => block.Text));
        Assert.True(result.IsError != true, $"{name}: {text}");
        Assert.True(result.StructuredContent is { ValueKind: JsonValueKind.Object }, $"{name} returned no structured result");
        var schema = JsonSchema.FromText(tools[name].OutputSchema!.Value.GetRawText());
        var evaluation = schema.Evaluate(result.StructuredContent!.Value, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = (evaluation.Details ?? []).Where(detail => detail.Errors is not null).SelectMany(detail => detail.Errors!.Select(error => $"{detail.InstanceLocation}: {error.Key} {error.Value}"));
        Assert.True(evaluation.IsValid, $"{name} result does not match its output schema: {string.Join("; ", errors)}\n{text}");
        validated.Add(name);
    }
}
