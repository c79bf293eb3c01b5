using System.Text;
using System.Text.Json.Nodes;
using McpPlanServer.EndToEnd.Support;

namespace McpPlanServer.EndToEnd;

/// <summary>
/// What no client library sends, sent as raw lines to the real server over stdio: each gets a JSON-RPC error that says
/// what is wrong (never "An error occurred", never silence), and the server answers a normal call afterwards.
/// </summary>
public sealed class ProtocolEdgeTests
{
    private const string ListPlans = """{"jsonrpc":"2.0","id":"ok","method":"tools/call","params":{"name":"list_plans","arguments":{}}}""";

    /// <summary>Code 0: a refused tool result (isError, "Refused (invalid_argument)"), as every tool refuses bad arguments; otherwise the JSON-RPC error code.</summary>
    public static TheoryData<string, string, int, string> BadRequests => new()
    {
        { "lone high surrogate", """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"read_plan","arguments":{"plan_id":"\ud800x"}}}""", 0, "unpaired UTF-16 surrogate" },
        { "reversed surrogates", """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"read_plan","arguments":{"plan_id":"\udc00\ud800"}}}""", 0, "$.params.arguments.plan_id" },
        { "arguments as an array", """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"list_plans","arguments":[1,2]}}""", 0, "must be a JSON object of argument names to values (as the tool's inputSchema says); got an array" },
        { "arguments as a string", """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"list_plans","arguments":"state=review"}}""", 0, "got a string" },
        { "duplicate argument key", """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"read_plan","arguments":{"plan_id":"a","plan_id":"b"}}}""", 0, "Duplicate property 'plan_id'" },
        { "surrogate outside a tool call", """{"jsonrpc":"2.0","id":7,"method":"prompts/get","params":{"name":"planner_brief\udfff"}}""", -32602, "unpaired UTF-16 surrogate" },
        { "tools/call without a name", """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"arguments":{}}}""", -32602, "needs params.name" },
        { "tools/call without params", """{"jsonrpc":"2.0","id":7,"method":"tools/call"}""", -32602, "needs params.name" },
        { "resources/subscribe", """{"jsonrpc":"2.0","id":7,"method":"resources/subscribe","params":{"uri":"plan://greeting"}}""", -32601, "resources.subscribe = false" },
        { "second initialize", """{"jsonrpc":"2.0","id":7,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"again","version":"1"}}}""", -32600, "already initialized" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_malformed_request_gets_an_answer_that_names_the_problem_and_the_server_keeps_answering(string what, string line, int code, string phrase)
    {
        using var repository = await TestRepository.CreateAsync();
        await using var server = await RawStdioSession.StartAsync(repository, "planner");

        var answer = await server.AskAsync(line, 7);

        string message;
        if (code == 0)
        {
            Assert.True(answer["result"]?["isError"]?.GetValue<bool>() == true, $"{what}: {answer.ToJsonString()}");
            message = answer["result"]!["content"]![0]!["text"]!.GetValue<string>();
            Assert.StartsWith("Refused (invalid_argument): ", message);
        }
        else
        {
            Assert.True(answer["error"] is not null, $"{what}: {answer.ToJsonString()}");
            Assert.Equal(code, answer["error"]!["code"]!.GetValue<int>());
            message = answer["error"]!["message"]!.GetValue<string>();
        }

        Assert.Contains(phrase, message);
        Assert.DoesNotContain("An error occurred", message);
        Assert.NotNull((await server.AskAsync(ListPlans, "ok"))["result"]);
    }

    [Theory]
    [InlineData("this is not json", -32700, "not valid JSON")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":""", -32700, "not valid JSON")]
    [InlineData("""[{"jsonrpc":"2.0","id":1,"method":"tools/list"},{"jsonrpc":"2.0","id":2,"method":"ping"}]""", -32600, "batches are not supported")]
    [InlineData("42", -32600, "JSON object")]
    public async Task Garbage_and_batches_are_answered_with_id_null_as_json_rpc_says(string line, int code, string phrase)
    {
        using var repository = await TestRepository.CreateAsync();
        await using var server = await RawStdioSession.StartAsync(repository, "observer");

        var answer = await server.AskAsync(line, null);

        Assert.Equal(code, answer["error"]!["code"]!.GetValue<int>());
        Assert.Contains(phrase, answer["error"]!["message"]!.GetValue<string>());
        Assert.NotNull((await server.AskAsync(ListPlans, "ok"))["result"]);
    }

    [Fact]
    public async Task Bytes_that_are_not_utf8_are_a_parse_error()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var server = await RawStdioSession.StartAsync(repository, "observer");

        await server.SendAsync([.. """{"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":" """u8.ToArray(), 0xFF, 0xFE, .. "\"}}"u8.ToArray()]);
        var answer = await server.AnswerAsync(null);

        Assert.Equal(-32700, answer["error"]!["code"]!.GetValue<int>());
        Assert.Contains("UTF-8", answer["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_bad_notification_gets_no_answer_and_the_next_request_is_answered_first()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var server = await RawStdioSession.StartAsync(repository, "observer");

        await server.SendAsync("""{"jsonrpc":"2.0","method":"tools/call","params":{"arguments":[]}}""");
        await server.SendAsync(ListPlans);
        var first = await server.ReadAsync();
        while (first["method"] is not null)
        {
            first = await server.ReadAsync();
        }

        Assert.Equal("ok", first["id"]?.GetValue<string>());
        Assert.NotNull(first["result"]);
    }

    [Fact]
    public async Task A_tool_call_over_the_line_limit_is_refused_before_it_is_read_whole_and_the_server_answers_the_next_call()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var server = await RawStdioSession.StartAsync(repository, "planner");
        var huge = new StringBuilder("""{"jsonrpc":"2.0","id":"big","method":"tools/call","params":{"name":"write_plan","arguments":{"plan_id":"huge","text":" """)
            .Append('x', 64 * 1024 * 1024)
            .Append("\"}}}")
            .ToString();

        var answer = await server.AskAsync(huge, "big");

        Assert.True(answer["result"]!["isError"]!.GetValue<bool>(), answer.ToJsonString());
        var message = answer["result"]!["content"]![0]!["text"]!.GetValue<string>();
        Assert.StartsWith("Refused (request_too_large): Request too large", message);
        Assert.Contains("the limit is", message);
        Assert.Contains("maxPlanBytes", message);
        Assert.Contains("nothing was done", message);
        Assert.False(Directory.Exists(Path.Combine(repository.PlansRoot, "Review")) && File.Exists(Path.Combine(repository.PlansRoot, "Review", "huge.md")));
        Assert.NotNull((await server.AskAsync(ListPlans, "ok"))["result"]);
    }
}
