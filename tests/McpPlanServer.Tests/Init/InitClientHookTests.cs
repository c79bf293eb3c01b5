using System.Text.Json.Nodes;
using McpPlanServer.Clients.Init;

namespace McpPlanServer.Tests.Init;

/// <summary>init registers <c>mcpplan hook --client NAME</c> in each client's project hook file, merged without losing the person's hooks.</summary>
public sealed class InitClientHookTests
{
    private const string Fallback = " || { s=$?; [ \"$s\" = 2 ] || echo";

    [Fact]
    public void Every_client_gets_its_hook_registered_in_its_own_format()
    {
        using var repo = new InitRepository();

        var (exit, _, stderr) = repo.Init(clients: InitClients.All);

        Assert.Equal(0, exit);
        Assert.Empty(stderr);
        var gemini = JsonNode.Parse(repo.Read(".gemini/settings.json"))!["hooks"]!["BeforeTool"]![0]!;
        Assert.Equal("write_file|replace|run_shell_command", gemini["matcher"]!.GetValue<string>());
        Assert.StartsWith("mcpplan hook --client gemini" + Fallback, gemini["hooks"]![0]!["command"]!.GetValue<string>());

        var codex = JsonNode.Parse(repo.Read(".codex/hooks.json"))!["hooks"]!["PreToolUse"]![0]!;
        Assert.Equal("Bash|apply_patch", codex["matcher"]!.GetValue<string>());
        Assert.Equal("command", codex["hooks"]![0]!["type"]!.GetValue<string>());
        Assert.StartsWith("mcpplan hook --client codex" + Fallback, codex["hooks"]![0]!["command"]!.GetValue<string>());

        var cursor = JsonNode.Parse(repo.Read(".cursor/hooks.json"))!;
        Assert.Equal(1, cursor["version"]!.GetValue<int>());
        foreach (var eventName in new[] { "preToolUse", "beforeShellExecution" })
        {
            var entry = cursor["hooks"]![eventName]![0]!;
            Assert.StartsWith("mcpplan hook --client cursor" + Fallback, entry["command"]!.GetValue<string>());
            Assert.True(entry["failClosed"]!.GetValue<bool>(), eventName);
        }

        Assert.Equal("Shell|Write|StrReplace|Edit|MultiEdit|Delete", cursor["hooks"]!["preToolUse"]![0]!["matcher"]!.GetValue<string>());
        var afterEdit = cursor["hooks"]!["afterFileEdit"]![0]!; // observe-only: nothing to fail closed on
        Assert.StartsWith("mcpplan hook --client cursor" + Fallback, afterEdit["command"]!.GetValue<string>());
        Assert.Null(afterEdit["failClosed"]);

        var copilot = JsonNode.Parse(repo.Read(".github/hooks/mcpplan.json"))!;
        Assert.Equal(1, copilot["version"]!.GetValue<int>());
        var hook = copilot["hooks"]!["preToolUse"]![0]!;
        Assert.StartsWith("mcpplan hook --client copilot" + Fallback, hook["bash"]!.GetValue<string>());
        Assert.Equal(hook["bash"]!.GetValue<string>(), hook["command"]!.GetValue<string>());
        Assert.True(hook["failClosed"]!.GetValue<bool>());
    }

    [Fact]
    public void The_persons_own_hooks_and_keys_stay_and_an_old_mcpplan_hook_is_updated_not_doubled()
    {
        using var repo = new InitRepository();
        repo.Write(".codex/hooks.json", """{ "hooks": { "PreToolUse": [ { "matcher": "Bash", "hooks": [ { "type": "command", "command": "./audit.sh" } ] }, { "matcher": "Bash", "hooks": [ { "type": "command", "command": "/old/bin/mcpplan hook --client codex" } ] } ], "Stop": [ { "hooks": [ { "type": "command", "command": "notify" } ] } ] } }""");
        repo.Write(".cursor/hooks.json", """{ "version": 1, "hooks": { "afterFileEdit": [ { "command": "prettier --write" } ], "beforeShellExecution": [ { "command": "./guard.sh" } ] } }""");
        repo.Write(".github/hooks/mcpplan.json", """{ "version": 1, "hooks": { "sessionStart": [ { "type": "command", "bash": "echo hi" } ] } }""");
        repo.Write(".gemini/settings.json", """{ "hooks": { "BeforeTool": [ { "matcher": "read_file", "hooks": [ { "type": "command", "command": "./log.sh" } ] } ] } }""");

        var (exit, stdout, _) = repo.Init(clients: [InitClients.Codex, InitClients.Cursor, InitClients.Copilot, InitClients.Gemini]);

        Assert.Equal(0, exit);
        var codex = JsonNode.Parse(repo.Read(".codex/hooks.json"))!["hooks"]!;
        Assert.Equal(2, codex["PreToolUse"]!.AsArray().Count);
        Assert.Equal("./audit.sh", codex["PreToolUse"]![0]!["hooks"]![0]!["command"]!.GetValue<string>());
        Assert.StartsWith("mcpplan hook --client codex ||", codex["PreToolUse"]![1]!["hooks"]![0]!["command"]!.GetValue<string>());
        Assert.Equal("Bash|apply_patch", codex["PreToolUse"]![1]!["matcher"]!.GetValue<string>());
        Assert.Equal("notify", codex["Stop"]![0]!["hooks"]![0]!["command"]!.GetValue<string>());
        Assert.Contains("update    .codex/hooks.json (sets the mcpplan PreToolUse hook matcher; sets the PreToolUse hook command to `mcpplan hook --client codex`)", stdout);

        var cursor = JsonNode.Parse(repo.Read(".cursor/hooks.json"))!["hooks"]!;
        Assert.Equal(["prettier --write", "mcpplan hook --client cursor"], cursor["afterFileEdit"]!.AsArray().Select(e => e!["command"]!.GetValue<string>().Split(" ||")[0]));
        Assert.Equal(["./guard.sh", "mcpplan hook --client cursor"], cursor["beforeShellExecution"]!.AsArray().Select(e => e!["command"]!.GetValue<string>().Split(" ||")[0]));

        var copilot = JsonNode.Parse(repo.Read(".github/hooks/mcpplan.json"))!["hooks"]!;
        Assert.Equal("echo hi", copilot["sessionStart"]![0]!["bash"]!.GetValue<string>());
        Assert.Single(copilot["preToolUse"]!.AsArray());

        var gemini = JsonNode.Parse(repo.Read(".gemini/settings.json"))!;
        Assert.Equal(2, gemini["hooks"]!["BeforeTool"]!.AsArray().Count);
        Assert.NotNull(gemini["mcpServers"]!["plans"]);

        var before = repo.Snapshot();
        var second = repo.Init(clients: [InitClients.Codex, InitClients.Cursor, InitClients.Copilot, InitClients.Gemini]);
        Assert.Contains("nothing changed", second.Stdout);
        Assert.Equal(before, repo.Snapshot());
    }

    [Fact]
    public void Vs_code_and_copilot_share_one_hook_file_written_once()
    {
        using var repo = new InitRepository();

        var (_, stdout, _) = repo.Init(clients: [InitClients.VsCode, InitClients.Copilot]);

        Assert.Single(stdout.Split('\n'), line => line.Contains(".github/hooks/mcpplan.json", StringComparison.Ordinal) && line.StartsWith("  create", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(".cursor/hooks.json", """{ "hooks": { "preToolUse": {} } }""", "hooks.preToolUse should be an array")]
    [InlineData(".codex/hooks.json", """{ "hooks": [] }""", "\"hooks\" should be an object")]
    [InlineData(".github/hooks/mcpplan.json", "{ nope", "not valid JSON")]
    public void A_hook_file_init_cannot_merge_stops_it_before_anything_is_written(string path, string text, string message)
    {
        using var repo = new InitRepository();
        repo.Write(path, text);
        var before = repo.Snapshot();

        var (exit, _, stderr) = repo.Init(clients: InitClients.All);

        Assert.Equal(1, exit);
        Assert.Contains(message, stderr);
        Assert.Equal(before, repo.Snapshot());
    }

    [Fact]
    public void Doctor_reports_the_hook_per_client_and_says_so_when_one_is_missing()
    {
        using var repo = new InitRepository();
        repo.Init(clients: [InitClients.Codex, InitClients.Cursor, InitClients.VsCode]);
        File.Delete(repo.Path(".cursor/hooks.json"));

        var lines = ClientDoctor.Describe(repo.Root, pathVariable: "", homeDirectory: null);

        Assert.Contains(lines, line => line.StartsWith("  edits/shell: checked before they happen by mcpplan hook --client codex (.codex/hooks.json", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("  edits/shell: checked before they happen by mcpplan hook --client copilot (.github/hooks/mcpplan.json", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("  edits/shell: NOT checked before they happen (no mcpplan hook in .cursor/hooks.json); run mcpplan init --client cursor", StringComparison.Ordinal));
        Assert.Equal(2, lines.Count(line => line == "  in force: server roles and the hook"));
        Assert.Single(lines, line => line == "  in force: server roles only");
        Assert.DoesNotContain(lines, line => line.Contains("Codex edits are not checked", StringComparison.Ordinal));
    }
}
