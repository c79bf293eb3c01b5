using System.Text.Json;
using McpPlanServer.EndToEnd.Support;
using ModelContextProtocol.Protocol;

namespace McpPlanServer.EndToEnd;

/// <summary>Every tool of every role answers missing, wrong-typed, oversized and hostile arguments with a clear
/// isError result, changes nothing, leaks no internals, and the server stays up.</summary>
public sealed class ToolBadInputTests
{
    public static TheoryData<string> Roles => new() { "planner", "implementer", "observer" };

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task Every_tool_refuses_bad_arguments_clearly_and_changes_nothing(string role)
    {
        using var repository = await TestRepository.CreateAsync();
        await using var session = await ServerSession.StartAsync(repository, role);
        var before = repository.Snapshot();
        var tools = await session.Client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);

        foreach (var tool in tools)
        {
            var required = tool.JsonSchema.TryGetProperty("required", out var names) ? names.EnumerateArray().Select(name => name.GetString()!).ToList() : [];
            var cases = new List<(string Case, Dictionary<string, object?> Arguments, string Expect)>
            {
                ("unknown argument", new() { ["role"] = "owner" }, "Unknown argument"),
                ("wrong type", new() { ["plan_id"] = 123 }, "must be a string"),
                ("oversized id", new() { ["plan_id"] = new string('a', 10_000) }, "limit"),
                ("path as id", new() { ["plan_id"] = "../../etc/passwd" }, "plan id"),
                ("absolute id", new() { ["plan_id"] = "/etc/passwd" }, "plan id"),
                ("control characters", new() { ["plan_id"] = "x\u0000\u001b[2J" }, "plan id"),
            };
            if (required.Count > 0)
            {
                cases.Add(("missing arguments", new(), "Missing required argument"));
            }

            foreach (var (name, arguments, expect) in cases)
            {
                if (!tool.JsonSchema.GetProperty("properties").TryGetProperty("plan_id", out _) && name != "unknown argument")
                {
                    continue;
                }

                if (name != "missing arguments" && name != "unknown argument")
                {
                    // The other required arguments get valid filler, so the refusal is about the argument under test.
                    foreach (var other in required.Where(other => other != "plan_id"))
                    {
                        arguments[other] = Filler(tool.JsonSchema.GetProperty("properties").GetProperty(other));
                    }
                }

                var result = await session.Client.CallToolAsync(tool.Name, arguments, cancellationToken: TestContext.Current.CancellationToken);
                var text = ServerSession.Text(result);
                Assert.True(result.IsError == true, $"{role}/{tool.Name}/{name} should be refused: {text}");
                Assert.Contains(expect, text, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("   at ", text);
                Assert.DoesNotContain("Exception", text);
                Assert.DoesNotContain(repository.Root, text);
            }
        }

        Assert.Equal(before, repository.Snapshot());
        var alive = await session.CallOkAsync("list_plans");
        Assert.Equal(JsonValueKind.Array, alive.GetProperty("plans").ValueKind);
    }

    private static object Filler(JsonElement schema) =>
        (schema.TryGetProperty("type", out var type) ? type.GetString() : "string") switch
        {
            "integer" => 1,
            "object" => new Dictionary<string, object?>(),
            "array" => Array.Empty<string>(),
            _ => "x",
        };

    [Fact]
    public async Task Prompt_injection_in_a_plan_is_stored_and_returned_as_data_only()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await using var implementer = await ServerSession.StartAsync(repository, "implementer");

        var written = await planner.CallOkAsync("write_plan", new { plan_id = "injection", text = SamplePlans.PromptInjection });
        Assert.Equal("awaiting_approval", written.GetProperty("status").GetString());

        var read = await implementer.CallOkAsync("read_plan", new { plan_id = "injection" });
        Assert.Equal(SamplePlans.PromptInjection, read.GetProperty("text").GetString());
        Assert.Equal("review", read.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("approval").ValueKind);
        Assert.Equal(SamplePlans.PromptInjection, await File.ReadAllTextAsync(Path.Combine(repository.PlansRoot, "Review", "injection.md"), TestContext.Current.CancellationToken));
        Assert.DoesNotContain("approve", (await repository.CliAsync("log", "injection")).Output.Replace("approval", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.True((await implementer.CallAsync("read_active_plan")).IsError);
    }

    [Fact]
    public async Task A_plan_file_with_invalid_utf8_is_refused_by_name_and_does_not_hide_the_other_plans()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await planner.CallOkAsync("write_plan", new { plan_id = "good", text = SamplePlans.Greeting() });
        var broken = Path.Combine(repository.PlansRoot, "Review", "broken.md");
        await File.WriteAllBytesAsync(broken, [.. System.Text.Encoding.UTF8.GetBytes("# Plan: x\n"), 0xC3, 0x28, 0x0A], TestContext.Current.CancellationToken);
        var before = repository.Snapshot();

        var read = await planner.CallAsync("read_plan", new { plan_id = "broken" });
        Assert.True(read.IsError);
        Assert.Contains("invalid_utf8", ServerSession.Text(read));
        Assert.Contains("offset 10", ServerSession.Text(read));

        var listed = await planner.CallOkAsync("list_plans");
        var ids = listed.GetProperty("plans").EnumerateArray().Select(plan => plan.GetProperty("id").GetString()).ToList();
        Assert.Equal(["broken", "good"], ids);
        Assert.Contains("invalid_utf8", listed.GetProperty("plans")[0].GetProperty("next_action").GetString());

        var approve = await repository.CliAsync("approve", "broken");
        Assert.Equal(1, approve.ExitCode);
        Assert.Contains("UTF-8", approve.Error);
        Assert.Equal(before, repository.Snapshot());
    }
}
