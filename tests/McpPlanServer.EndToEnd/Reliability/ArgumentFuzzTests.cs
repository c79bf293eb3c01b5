using System.Text.Json;
using McpPlanServer.EndToEnd.Support;
using ModelContextProtocol;

namespace McpPlanServer.EndToEnd.Reliability;

/// <summary>
/// The real server gets random JSON as tool arguments, in right and wrong shapes, for every tool of every role.
/// Every answer must be a result or a protocol error, never an internal failure, and the server must stay up.
/// </summary>
[Trait("Speed", "Long")]
public sealed class ArgumentFuzzTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("planner")]
    [InlineData("implementer")]
    [InlineData("observer")]
    public async Task Random_arguments_get_a_result_or_a_protocol_error_and_the_server_stays_up(string role)
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("MCPPLAN_FUZZ_SEED"), out var configured) ? configured : Environment.TickCount;
        var calls = int.TryParse(Environment.GetEnvironmentVariable("MCPPLAN_FUZZ_CALLS"), out var count) ? count : 300;
        var random = new Random(seed);
        using var repository = await TestRepository.CreateAsync();
        await using var session = await ServerSession.StartAsync(repository, role);
        var tools = (await session.Client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken)).ToList();
        var tally = new OperationTally();

        for (var i = 0; i < calls; i++)
        {
            var tool = tools[random.Next(tools.Count)];
            var properties = tool.JsonSchema.GetProperty("properties").EnumerateObject().Select(property => property.Name).ToList();
            var arguments = new Dictionary<string, object?>();
            foreach (var name in properties.Where(_ => random.Next(3) != 0))
            {
                arguments[name] = RandomValue(random, 0);
            }

            if (random.Next(5) == 0)
            {
                arguments["x" + random.Next(100)] = RandomValue(random, 0);
            }

            tally.Attempt();
            try
            {
                var result = await session.Client.CallToolAsync(tool.Name, arguments, cancellationToken: TestContext.Current.CancellationToken);
                var text = ServerSession.Text(result);
                if (text.Contains("failed inside the server", StringComparison.Ordinal) || text.Contains("   at ", StringComparison.Ordinal))
                {
                    tally.Failure($"{tool.Name} {JsonSerializer.Serialize(arguments)}: {text}");
                }
                else if (result.IsError == true)
                {
                    tally.Refusal();
                }
                else
                {
                    tally.Success();
                }
            }
            catch (McpProtocolException)
            {
                tally.Refusal();
            }
        }

        var alive = await session.CallOkAsync("list_plans");
        output.WriteLine($"{role} argument fuzz, seed {seed}: {tally.Summary(0)}");
        Assert.Equal(JsonValueKind.Array, alive.GetProperty("plans").ValueKind);
        Assert.True(tally.Unexpected.Count == 0, $"seed {seed}: " + string.Join("\n", tally.Unexpected.Take(5)));
    }

    private static object? RandomValue(Random random, int depth) => random.Next(depth > 2 ? 7 : 10) switch
    {
        0 => null,
        1 => random.Next(2) == 0,
        2 => random.Next(-5, 20),
        3 => random.NextDouble() * 1e12,
        4 => "greeting",
        5 => new string((char)random.Next(1, 0x7F), random.Next(0, 3_000)),
        6 => random.Next(3) switch { 0 => "../../etc/passwd", 1 => "# Plan: x\n## Implementation Steps\n1. a", _ => "\u0000\u001b[2J" },
        7 => Enumerable.Range(0, random.Next(0, 5)).Select(_ => RandomValue(random, depth + 1)).ToArray(),
        8 => new Dictionary<string, object?> { ["architecture"] = random.Next(-10, 120), ["k" + random.Next(5)] = RandomValue(random, depth + 1) },
        _ => "x",
    };
}
