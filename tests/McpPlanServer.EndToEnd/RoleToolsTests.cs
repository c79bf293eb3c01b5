using System.Text.Json;
using McpPlanServer.EndToEnd.Support;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpPlanServer.EndToEnd;

/// <summary>Each role's real server lists exactly its tools and refuses every other role's tools.</summary>
public sealed class RoleToolsTests(ITestOutputHelper output)
{
    /// <summary>The context budget: a role's whole tools/list answer, as JSON, is paid for in every request.</summary>
    public const int ToolListBudgetBytes = 6000;

    private static readonly string[] Common = ["list_plans", "read_plan"];
    private static readonly string[] PlannerOnly = ["answer_blocker", "await_approval", "request_approval", "review_implementation", "submit_review", "write_acceptance_file", "write_plan"];
    private static readonly string[] ImplementerOnly = ["await_answer", "commit_step", "read_active_plan", "release_plan", "report_blocker", "submit_for_review"];

    public static TheoryData<string, string[]> Expected => new()
    {
        { "planner", [.. Common, .. PlannerOnly] },
        { "implementer", [.. Common, .. ImplementerOnly] },
        { "observer", Common },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public async Task Each_role_lists_exactly_its_tools(string role, string[] expected)
    {
        using var repository = await TestRepository.CreateAsync();
        await using var session = await ServerSession.StartAsync(repository, role);

        var names = await session.ToolNamesAsync();

        Assert.Equal(expected.Order(StringComparer.Ordinal), names);
        Assert.DoesNotContain(names, name => name.Contains("approve", StringComparison.Ordinal) && name != "request_approval" && name != "await_approval");
    }

    [Theory]
    [InlineData("planner", "report_blocker")]
    [InlineData("planner", "submit_for_review")]
    [InlineData("planner", "read_active_plan")]
    [InlineData("implementer", "write_plan")]
    [InlineData("implementer", "submit_review")]
    [InlineData("implementer", "answer_blocker")]
    [InlineData("implementer", "request_approval")]
    [InlineData("implementer", "await_approval")]
    [InlineData("implementer", "review_implementation")]
    [InlineData("planner", "commit_step")]
    [InlineData("observer", "commit_step")]
    [InlineData("observer", "write_plan")]
    [InlineData("observer", "report_blocker")]
    public async Task A_foreign_tool_is_a_protocol_error_naming_the_role_that_may_use_it(string role, string tool)
    {
        using var repository = await TestRepository.CreateAsync();
        await using var session = await ServerSession.StartAsync(repository, role);

        var error = await Assert.ThrowsAsync<McpProtocolException>(() => session.CallAsync(tool, new { plan_id = "x" }));

        Assert.Contains($"this server runs as the {role}", error.Message);
        Assert.DoesNotContain(repository.Snapshot().Keys, path => path.Contains("/Review/", StringComparison.Ordinal));
        var log = await repository.CliAsync("log");
        Assert.Contains(tool, log.Output);
        Assert.Contains("refused", log.Output);
    }

    [Theory]
    [InlineData("planner")]
    [InlineData("implementer")]
    [InlineData("observer")]
    public async Task The_tool_list_of_each_role_stays_within_the_context_budget(string role)
    {
        using var repository = await TestRepository.CreateAsync();
        await using var session = await ServerSession.StartAsync(repository, role);

        var tools = await session.Client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
        var json = JsonSerializer.Serialize(new ListToolsResult { Tools = [.. tools.Select(tool => tool.ProtocolTool)] }, McpJsonUtilities.DefaultOptions);
        output.WriteLine($"{role}: {tools.Count} tools, tools/list = {json.Length} bytes");

        Assert.InRange(json.Length, 200, ToolListBudgetBytes);
    }

    [Fact]
    public async Task An_unknown_tool_is_a_protocol_error()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var session = await ServerSession.StartAsync(repository, "planner");

        await Assert.ThrowsAsync<McpProtocolException>(() => session.CallAsync("approve_plan", new { plan_id = "x" }));
    }

    [Fact]
    public async Task The_server_instructions_brief_the_role()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await using var implementer = await ServerSession.StartAsync(repository, "implementer");

        Assert.Contains("PLANNER", planner.Client.ServerInstructions);
        Assert.Contains("never", planner.Client.ServerInstructions);
        Assert.Contains("IMPLEMENTER", implementer.Client.ServerInstructions);
    }
}
