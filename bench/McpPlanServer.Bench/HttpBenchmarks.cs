using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using McpPlanServer.Cli.Commands;

namespace McpPlanServer.Bench;

/// <summary>
/// <c>tools/call read_plan</c> over Streamable HTTP (<c>serve --http</c>, one session, keep-alive connection, bearer
/// token checked on every request) against the same call over stdio, on the same repository of 20 plans.
/// </summary>
public sealed class HttpBenchmarks(string exe)
{
    private const int Warmup = 5;
    private const int Samples = 300;

    public async Task<IReadOnlyList<(string Measure, string Value, string Target)>> RunAsync()
    {
        using var workspace = Workspace.Create("http");
        workspace.AddPlans(20);
        var arguments = new JsonObject { ["plan_id"] = "plan-7" };

        await using var stdio = RpcProcess.Start(exe, workspace.Root, "planner");
        await stdio.InitializeAsync();
        var overStdio = await MeasureAsync(() => stdio.CallToolAsync("read_plan", arguments.DeepClone().AsObject()));

        var issued = await PersonProcess.RunAsync(exe, ["token", "create", "--role", "planner", "--name", "bench", "--repo", workspace.Root], workspace.Root);
        if (issued.ExitCode != 0)
        {
            throw new InvalidOperationException($"mcpplan token create failed during the benchmark: {issued.Error}");
        }

        using var server = StartHttp(workspace.Root, out var endpoint);
        try
        {
            using var http = new HttpClient();
            var token = issued.Output.Trim();
            var sessionId = await InitializeAsync(http, endpoint, token);
            var id = 10;
            var overHttp = await MeasureAsync(async () =>
            {
                var call = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = ++id, ["method"] = "tools/call", ["params"] = new JsonObject { ["name"] = "read_plan", ["arguments"] = arguments.DeepClone() } };
                using var response = await http.SendAsync(Post(endpoint, call.ToJsonString(), token, sessionId));
                var body = await response.Content.ReadAsStringAsync();
                return response.IsSuccessStatusCode && body.Contains("\"structuredContent\"", StringComparison.Ordinal)
                    ? body
                    : throw new InvalidOperationException($"read_plan over HTTP failed: {(int)response.StatusCode} {body}");
            });

            return
            [
                ("read_plan over stdio: p50 / p99", $"{Stats.Ms(overStdio.Median)} / {Stats.Ms(overStdio.P99)}", string.Empty),
                ("read_plan over Streamable HTTP (token checked per request): p50 / p99", $"{Stats.Ms(overHttp.Median)} / {Stats.Ms(overHttp.P99)}", string.Empty),
            ];
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    private static async Task<Stats> MeasureAsync(Func<Task<string>> call)
    {
        var samples = new List<double>();
        for (var i = 0; i < Warmup + Samples; i++)
        {
            var watch = Stopwatch.StartNew();
            await call();
            watch.Stop();
            if (i >= Warmup)
            {
                samples.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        return new Stats(samples);
    }

    private Process StartHttp(string repository, out Uri endpoint)
    {
        var start = new ProcessStartInfo(exe) { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false, WorkingDirectory = repository };
        foreach (var argument in (string[])["serve", "--http", "--listen", "127.0.0.1:0", "--repo", repository])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        const string marker = "serving MCP over Streamable HTTP at ";
        while (process.StandardError.ReadLine() is { } line)
        {
            var at = line.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                endpoint = new Uri(line[(at + marker.Length)..].Split(' ')[0]);
                _ = process.StandardError.ReadToEndAsync();
                return process;
            }
        }

        throw new InvalidOperationException("mcpplan serve --http exited before it listened.");
    }

    private static async Task<string> InitializeAsync(HttpClient http, Uri endpoint, string token)
    {
        var initialize = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = 1,
            ["method"] = "initialize",
            ["params"] = new JsonObject { ["protocolVersion"] = "2025-06-18", ["capabilities"] = new JsonObject(), ["clientInfo"] = new JsonObject { ["name"] = "bench", ["version"] = "1" } },
        };
        using var opened = await http.SendAsync(Post(endpoint, initialize.ToJsonString(), token, null));
        var sessionId = opened.Headers.GetValues("Mcp-Session-Id").Single();
        using var initialized = await http.SendAsync(Post(endpoint, """{"jsonrpc":"2.0","method":"notifications/initialized"}""", token, sessionId));
        return sessionId;
    }

    private static HttpRequestMessage Post(Uri endpoint, string body, string token, string? sessionId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (sessionId is not null)
        {
            request.Headers.Add("Mcp-Session-Id", sessionId);
            request.Headers.Add("MCP-Protocol-Version", "2025-06-18");
        }

        return request;
    }
}
