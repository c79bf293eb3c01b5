using System.Text.Json.Nodes;
using McpPlanServer.EndToEnd.Support;

namespace McpPlanServer.EndToEnd;

/// <summary>
/// The real Gemini CLI and Codex CLI (pinned in tests/gemini-cli and tests/codex-cli) read the files
/// <c>mcpplan init --client gemini,codex</c> wrote, in a scratch HOME that trusts the repository, with no network:
/// <c>gemini mcp list</c> starts the server per role and reports it connected; <c>codex mcp list</c> lists it (Codex does
/// not connect there) with the role forwarded. The hooks init registered are fed the payloads these clients send.
/// Skipped only when npm cannot be reached.
/// </summary>
[Trait("Speed", "Long")]
public sealed class OtherClientsTests
{
    [Theory]
    [InlineData("planner")]
    [InlineData("implementer")]
    [InlineData(null)]
    public async Task Gemini_mcp_list_reports_the_server_init_wrote_connected(string? role)
    {
        var result = await GeminiMcpListAsync(role);

        var text = result.Output + result.Error;
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("plans", text);
        Assert.Contains("Connected", text);
        Assert.Contains("serve --role-from-env", text);
    }

    [Fact]
    public async Task Gemini_reports_an_unknown_role_as_not_connected()
    {
        var result = await GeminiMcpListAsync("wizard");

        Assert.Contains("plans", result.Output + result.Error);
        Assert.DoesNotContain("Connected", result.Output + result.Error);
    }

    [Fact]
    public async Task Codex_mcp_list_shows_the_server_init_wrote_with_the_role_forwarded()
    {
        var result = await CodexMcpListAsync(trusted: true);

        Assert.True(result.ExitCode == 0, result.ToString());
        var plans = JsonNode.Parse(result.Output)!.AsArray().Single(server => server!["name"]!.GetValue<string>() == "plans")!;
        var text = plans.ToJsonString();
        Assert.Contains(Executable.Path, text);
        Assert.Contains("\"--role-from-env\"", text);
        Assert.Contains("MCPPLAN_ROLE", text);
    }

    [Fact]
    public async Task Codex_without_trust_does_not_see_the_project_server()
    {
        var result = await CodexMcpListAsync(trusted: false);

        Assert.DoesNotContain("role-from-env", result.Output);
    }

    /// <summary><c>gemini mcp list</c> in a repository set up by init, trusted in a scratch HOME: Gemini starts each server.</summary>
    private static async Task<ProcessResult> GeminiMcpListAsync(string? role)
    {
        var gemini = await ClientAsync("gemini-cli", "gemini");
        using var repository = await InitAsync("gemini");
        var home = ScratchHome(repository);
        File.WriteAllText(Path.Combine(home, ".gemini", "trustedFolders.json"), new JsonObject { [repository.Root] = "TRUST_FOLDER" }.ToJsonString());

        // `gemini mcp list` gives a server 5 s to connect unless its entry sets `timeout`; a cold .NET start on a loaded
        // test machine can take longer. init does not write it (it also bounds every tool call, and await_approval waits).
        var settingsPath = Path.Combine(repository.Root, ".gemini", "settings.json");
        var settings = JsonNode.Parse(File.ReadAllText(settingsPath))!;
        settings["mcpServers"]!["plans"]!["timeout"] = 120_000;
        File.WriteAllText(settingsPath, settings.ToJsonString());
        return await ProcessRunner.RunAsync(gemini, ["mcp", "list"], repository.Root, Environment(home, role), timeout: TimeSpan.FromSeconds(300));
    }

    /// <summary><c>codex mcp list --json</c> in a repository set up by init, trusted or not in a scratch HOME: Codex lists, it does not connect.</summary>
    private static async Task<ProcessResult> CodexMcpListAsync(bool trusted)
    {
        var codex = await ClientAsync("codex-cli", "codex");
        using var repository = await InitAsync("codex");
        var home = ScratchHome(repository);
        if (trusted)
        {
            File.WriteAllText(Path.Combine(home, ".codex", "config.toml"), $"[projects.\"{repository.Root}\"]\ntrust_level = \"trusted\"\n");
        }

        return await ProcessRunner.RunAsync(codex, ["mcp", "list", "--json"], repository.Root, Environment(home, "implementer"), timeout: TimeSpan.FromSeconds(60));
    }

    /// <summary>The hook command init registered, run by the shell as each client runs it, on that client's payload for a plan edit.</summary>
    [Theory]
    [InlineData("gemini", ".gemini/settings.json", """{"hook_event_name":"BeforeTool","tool_name":"write_file","tool_input":{"file_path":"{REPO}/.claude/plans/Active/p.md","content":"x"},"cwd":"{REPO}","session_id":"s","transcript_path":"/tmp/t","timestamp":"2026-12-02T11:00:00Z"}""", "\"decision\":\"deny\"")]
    [InlineData("codex", ".codex/hooks.json", """{"hook_event_name":"PreToolUse","tool_name":"apply_patch","tool_input":{"command":"*** Begin Patch\n*** Update File: .claude/plans/Active/p.md\n@@\n+x\n*** End Patch\n"},"cwd":"{REPO}","session_id":"s","turn_id":"t","transcript_path":null,"model":"gpt-5.1-codex","permission_mode":"default","tool_use_id":"c"}""", "\"permissionDecision\":\"deny\"")]
    [InlineData("cursor", ".cursor/hooks.json", """{"hook_event_name":"preToolUse","tool_name":"Write","tool_input":{"file_path":"{REPO}/.claude/plans/Active/p.md","contents":"x"},"workspace_roots":["{REPO}"],"conversation_id":"c","generation_id":"g"}""", "\"permission\":\"deny\"")]
    [InlineData("copilot", ".github/hooks/mcpplan.json", """{"timestamp":1788992290306,"cwd":"{REPO}","toolName":"create","toolArgs":"{\"path\":\"{REPO}/.claude/plans/Active/p.md\",\"file_text\":\"x\"}"}""", "\"permissionDecision\":\"deny\"")]
    public async Task The_hook_init_registered_denies_the_implementer_s_plan_edit_in_each_client_s_format(string client, string file, string payload, string deny)
    {
        using var repository = await InitAsync(client);
        var command = HookCommand(JsonNode.Parse(File.ReadAllText(Path.Combine(repository.Root, file)))!);
        var stdin = payload.Replace("{REPO}", repository.Root, StringComparison.Ordinal);

        var denied = await ProcessRunner.RunAsync("/bin/sh", ["-c", command], repository.Root, new Dictionary<string, string?> { ["MCPPLAN_ROLE"] = "implementer" }, stdin);
        var broken = await ProcessRunner.RunAsync("/bin/sh", ["-c", command.Replace(Executable.Path, Executable.Path + "-missing", StringComparison.Ordinal)], repository.Root, null, stdin);

        Assert.True(denied.ExitCode == 0, denied.ToString());
        Assert.Contains(deny, denied.Output.Replace(" ", "", StringComparison.Ordinal));
        Assert.Equal(2, broken.ExitCode); // a hook that cannot start blocks in every client
        Assert.Contains("could not run", broken.Error);
    }

    private static string HookCommand(JsonNode file)
    {
        var entries = file["hooks"]!.AsObject().Select(pair => pair.Value!.AsArray()[^1]!).First();
        return (entries["hooks"]?[0]?["command"] ?? entries["bash"] ?? entries["command"])!.GetValue<string>();
    }

    private static async Task<string> ClientAsync(string folder, string program)
    {
        var install = await NodePackages.InstallAsync(folder);
        Assert.SkipWhen(install.RegistryUnreachable, $"{program} not available: {install.Error}");
        Assert.True(install.Error is null, install.Error);
        return Path.Combine(install.Folder, "node_modules", ".bin", program);
    }

    private static async Task<TestRepository> InitAsync(string client)
    {
        var repository = await TestRepository.CreateAsync();
        var init = await ProcessRunner.RunAsync(Executable.Path, ["init", "--client", client, "--allow-machine-path", "--repo", repository.Root], repository.Root);
        Assert.True(init.ExitCode == 0, init.ToString());
        return repository;
    }

    private static string ScratchHome(TestRepository repository)
    {
        var home = Path.Combine(repository.Root, ".scratch-home");
        Directory.CreateDirectory(Path.Combine(home, ".gemini"));
        Directory.CreateDirectory(Path.Combine(home, ".codex"));
        return home;
    }

    /// <summary>A scratch HOME, the role, no API keys and no way out but loopback.</summary>
    private static Dictionary<string, string?> Environment(string home, string? role) => new()
    {
        ["HOME"] = home,
        ["CODEX_HOME"] = Path.Combine(home, ".codex"),
        ["GEMINI_CLI_HOME"] = null,
        ["MCPPLAN_ROLE"] = role,
        ["GEMINI_API_KEY"] = null,
        ["GOOGLE_API_KEY"] = null,
        ["OPENAI_API_KEY"] = null,
        ["HTTPS_PROXY"] = "http://127.0.0.1:9",
        ["HTTP_PROXY"] = "http://127.0.0.1:9",
        ["NO_PROXY"] = "127.0.0.1,localhost",
        ["CI"] = "true",
    };
}
