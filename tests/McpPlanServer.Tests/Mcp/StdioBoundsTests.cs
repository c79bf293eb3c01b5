using System.Text;
using System.Text.Json.Nodes;
using McpPlanServer.Mcp.Hosting;

namespace McpPlanServer.Tests.Mcp;

/// <summary>The stdio gate's parts: lines are bounded before they are held, and the screen answers what the SDK would not.</summary>
public sealed class StdioBoundsTests
{
    [Fact]
    public async Task A_line_over_the_limit_is_reported_with_its_length_and_first_bytes_and_the_next_line_is_read_whole()
    {
        var big = "{\"id\":42,\"params\":\"" + new string('x', 300_000) + "\"}";
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(big + "\n{\"id\":43}\r\nlast"));
        var reader = new BoundedLineReader(input, 100_000);

        var first = await reader.ReadAsync(CancellationToken.None);
        var firstPrefix = Encoding.UTF8.GetString(first!.Value.Content.Span);
        var second = await reader.ReadAsync(CancellationToken.None);
        var secondText = Encoding.UTF8.GetString(second!.Value.Content.Span);
        var third = await reader.ReadAsync(CancellationToken.None);
        var thirdText = Encoding.UTF8.GetString(third!.Value.Content.Span);
        var end = await reader.ReadAsync(CancellationToken.None);

        Assert.True(first.Value.Oversized);
        Assert.Equal(big.Length, first.Value.Length);
        Assert.Equal(BoundedLineReader.KeptPrefixBytes, firstPrefix.Length);
        Assert.StartsWith("{\"id\":42", firstPrefix);
        Assert.False(second.Value.Oversized);
        Assert.Equal("{\"id\":43}", secondText);
        Assert.Equal("last", thirdText);
        Assert.Null(end);
    }

    [Fact]
    public void An_oversized_tool_call_is_a_refused_tool_result_with_its_own_id_when_the_id_comes_first()
    {
        var screen = new RequestScreen(1000);
        var prefix = Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"meta\":{\"a\":[1,2]},\"id\":\"req-9\",\"method\":\"tools/call\",\"params\":{\"name\":\"write_plan\",\"arguments\":{\"text\":\"xxxx");

        var answer = JsonNode.Parse(screen.Oversized(new ReadLine(prefix, true, 5_000_000)))!;

        Assert.Equal("req-9", answer["id"]!.GetValue<string>());
        Assert.True(answer["result"]!["isError"]!.GetValue<bool>());
        Assert.Contains("Refused (request_too_large): Request too large: 5,000,000 bytes", answer["result"]!["content"]![0]!["text"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(17)]
    [InlineData(4096)]
    public async Task An_oversized_request_whose_id_comes_after_the_params_is_answered_with_that_id(int pieceBytes)
    {
        // The .NET SDK's client writes "method", "params", then "id": the id is in the tail, after the large text.
        var line = "{\"method\":\"tools/call\",\"params\":{\"name\":\"write_plan\",\"arguments\":{\"id\":\"nested\",\"text\":\"" + new string('x', 200_000) + "\"}},\"id\":31,\"jsonrpc\":\"2.0\"}\n";
        using var input = new TrickleStream(Encoding.UTF8.GetBytes(line), pieceBytes);
        var read = await new BoundedLineReader(input, 10_000).ReadAsync(CancellationToken.None);

        var answer = JsonNode.Parse(new RequestScreen(10_000).Oversized(read!.Value))!;

        Assert.True(read.Value.Oversized);
        Assert.Equal(31, answer["id"]!.GetValue<int>());
    }

    [Fact]
    public void A_key_named_id_inside_the_params_is_not_taken_for_the_request_id()
    {
        var tail = Encoding.UTF8.GetBytes("xxxx\",\"id\":\"nested\"}}}");

        var answer = JsonNode.Parse(new RequestScreen(1000).Oversized(new ReadLine(Encoding.UTF8.GetBytes("{\"params\":{\"text\":\"xx"), true, 9_999, tail)))!;

        Assert.Null(answer["id"]);
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","arguments":{"a":"\ud83d\ude00"}}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":{}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"notifications/initialized"}""")]
    public void Well_formed_messages_pass_through_untouched(string line)
    {
        Assert.Null(new RequestScreen(1000).Screen(Encoding.UTF8.GetBytes(line)));
    }

    [Fact]
    public void A_malformed_notification_is_dropped_without_an_answer()
    {
        var answer = new RequestScreen(1000).Screen(Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","method":"tools/call","params":{"arguments":[]}}"""));

        Assert.NotNull(answer);
        Assert.Empty(answer);
    }

    [Fact]
    public void Only_the_first_initialize_passes()
    {
        var screen = new RequestScreen(1000);
        var initialize = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}""");

        Assert.Null(screen.Screen(initialize));
        Assert.Contains("already initialized", Encoding.UTF8.GetString(screen.Screen(initialize)!));
    }
}
