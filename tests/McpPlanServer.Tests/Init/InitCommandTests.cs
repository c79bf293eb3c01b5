using System.Text.Json.Nodes;
using McpPlanServer.Clients.Init;

namespace McpPlanServer.Tests.Init;

public sealed class InitCommandTests
{
    private const string HookMatcher = "Edit|Write|MultiEdit|NotebookEdit|Bash";

    [Fact]
    public void An_empty_repository_gets_folders_config_server_hook_gitignore_and_role_section()
    {
        using var repo = new InitRepository();

        var (exit, stdout, stderr) = repo.Init();

        Assert.Equal(0, exit);
        Assert.Empty(stderr);
        foreach (var folder in new[] { "Review", "Active", "Completed" })
        {
            Assert.True(Directory.Exists(repo.Path($".claude/plans/{folder}")), folder);
        }

        var config = JsonNode.Parse(repo.Read(".claude/mcpplan.json"))!;
        Assert.Equal(".claude/plans", config["plansRoot"]!.GetValue<string>());
        Assert.Equal("warn", config["drift"]!.GetValue<string>());

        var server = JsonNode.Parse(repo.Read(".mcp.json"))!["mcpServers"]!["plans"]!;
        Assert.Equal("stdio", server["type"]!.GetValue<string>());
        Assert.Equal("mcpplan", server["command"]!.GetValue<string>());
        Assert.Equal(["serve", "--role", "${MCPPLAN_ROLE:-observer}"], server["args"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Contains("\"${MCPPLAN_ROLE:-observer}\"", repo.Read(".mcp.json"));

        var entry = JsonNode.Parse(repo.Read(".claude/settings.json"))!["hooks"]!["PreToolUse"]!.AsArray().Single()!;
        Assert.Equal(HookMatcher, entry["matcher"]!.GetValue<string>());
        Assert.Equal(InitRepository.Launch.HookCommandLine, entry["hooks"]![0]!["command"]!.GetValue<string>());
        Assert.StartsWith("mcpplan hook || ", InitRepository.Launch.HookCommandLine);
        Assert.Equal("command", entry["hooks"]![0]!["type"]!.GetValue<string>());

        var gitignore = repo.Read(".gitignore").Split('\n');
        Assert.Equal("# mcpplan", gitignore[0]);
        Assert.Contains(".claude/plans/Review/", gitignore);
        Assert.Contains(".claude/plans/Active/", gitignore);
        Assert.Contains(".claude/plans/.records/", gitignore);
        Assert.Contains(".claude/plans/journal.jsonl", gitignore);
        Assert.Contains(".claude/plans/observed-edits.jsonl", gitignore);
        Assert.Contains(".claude/plans/.lock", gitignore);
        Assert.Contains(".claude/plans/claims.json", gitignore);
        Assert.Contains(".claude/worktrees/", gitignore);
        Assert.DoesNotContain(".claude/plans/Completed/", gitignore);

        var claudeMd = repo.Read("CLAUDE.md");
        Assert.StartsWith(ClaudeMdSection.StartMarker, claudeMd);
        Assert.Contains(ClaudeMdSection.EndMarker, claudeMd);
        Assert.Contains("commit_step", claudeMd);

        Assert.Contains("create    .mcp.json", stdout);
        Assert.Contains("create    .claude/plans/Review/", stdout);
        Assert.Contains("enabledMcpjsonServers", stdout);
        Assert.Contains("A plain `claude` session here (yours or a teammate's: .mcp.json and the hook settings are shared) is an observer:", stdout);
        var lastLines = stdout.TrimEnd().Split('\n')[^2..];
        Assert.Equal(
            ["  MCPPLAN_ROLE=planner claude --settings .claude/mcpplan/planner.settings.json", "  MCPPLAN_ROLE=implementer claude --settings .claude/mcpplan/implementer.settings.json"],
            lastLines);
        Assert.Contains("hook:    registered in .claude/settings.json (mcpplan hook;", stdout);
        Assert.Contains("in force: ", stdout);
    }

    [Fact]
    public void Existing_mcp_json_and_settings_keep_their_keys_and_order()
    {
        using var repo = new InitRepository();
        repo.Write(".mcp.json", """
            {
              "mcpServers": {
                "github": { "type": "stdio", "command": "gh-mcp", "args": [] }
              },
              "x-team": true
            }
            """);
        repo.Write(".claude/settings.json", """
            {
              "permissions": { "allow": ["Bash(npm test)"], "deny": ["Read(.env)"] },
              "hooks": {
                "PreToolUse": [
                  { "matcher": "Bash", "hooks": [ { "type": "command", "command": "./scripts/lint-guard.sh" } ] }
                ],
                "PostToolUse": [
                  { "matcher": "Edit", "hooks": [ { "type": "command", "command": "prettier --write" } ] }
                ]
              },
              "model": "opus"
            }
            """);
        repo.Write(".gitignore", "bin/\nobj/");
        repo.Write("CLAUDE.md", "# Team notes\n\nUse tabs.\n");

        var (exit, stdout, _) = repo.Init();

        Assert.Equal(0, exit);
        var mcp = JsonNode.Parse(repo.Read(".mcp.json"))!.AsObject();
        Assert.Equal(["mcpServers", "x-team"], mcp.Select(p => p.Key));
        Assert.Equal(["github", "plans"], mcp["mcpServers"]!.AsObject().Select(p => p.Key));
        Assert.Equal("gh-mcp", mcp["mcpServers"]!["github"]!["command"]!.GetValue<string>());
        Assert.True(mcp["x-team"]!.GetValue<bool>());

        var settings = JsonNode.Parse(repo.Read(".claude/settings.json"))!.AsObject();
        Assert.Equal(["permissions", "hooks", "model", "sandbox"], settings.Select(p => p.Key));
        Assert.Equal("Read(.env)", settings["permissions"]!["deny"]![0]!.GetValue<string>());
        var preToolUse = settings["hooks"]!["PreToolUse"]!.AsArray();
        Assert.Equal(2, preToolUse.Count);
        Assert.Equal("./scripts/lint-guard.sh", preToolUse[0]!["hooks"]![0]!["command"]!.GetValue<string>());
        Assert.Equal(InitRepository.Launch.HookCommandLine, preToolUse[1]!["hooks"]![0]!["command"]!.GetValue<string>());
        Assert.Equal("prettier --write", settings["hooks"]!["PostToolUse"]![0]!["hooks"]![0]!["command"]!.GetValue<string>());

        Assert.StartsWith("bin/\nobj/\n\n# mcpplan\n.claude/plans/Review/\n", repo.Read(".gitignore"));
        Assert.StartsWith("# Team notes\n\nUse tabs.\n\n" + ClaudeMdSection.StartMarker, repo.Read("CLAUDE.md"));
        Assert.Contains("update    .mcp.json (adds mcpServers.plans)", stdout);
        Assert.Contains("update    .claude/settings.json (adds PreToolUse hook `mcpplan hook` (exit 2 when it cannot start); adds sandbox.enabled: true", stdout);
        Assert.Contains("update    CLAUDE.md (adds the mcpplan section)", stdout);
    }

    [Fact]
    public void A_second_run_reports_everything_unchanged_and_writes_nothing()
    {
        using var repo = new InitRepository();
        repo.Write(".gitignore", "node_modules/\n");
        Assert.Equal(0, repo.Init().ExitCode);
        var before = repo.Snapshot();
        Thread.Sleep(20); // a rewrite would show in the write times

        var (exit, stdout, _) = repo.Init();

        Assert.Equal(0, exit);
        Assert.Equal(before, repo.Snapshot());
        Assert.DoesNotContain("create", stdout);
        Assert.DoesNotContain("update", stdout);
        Assert.Equal(11, stdout.Split('\n').Count(line => line.StartsWith("  unchanged ", StringComparison.Ordinal)));
        Assert.Contains("nothing changed", stdout);
    }

    [Fact]
    public void A_dry_run_lists_the_changes_and_writes_nothing()
    {
        using var repo = new InitRepository();
        repo.Write(".mcp.json", "{\"mcpServers\":{}}");
        var before = repo.Snapshot();

        var (exit, stdout, _) = repo.Init(dryRun: true);

        Assert.Equal(0, exit);
        Assert.Equal(before, repo.Snapshot());
        Assert.Contains("nothing is written", stdout);
        Assert.Contains("create    .claude/plans/Active/", stdout);
        Assert.Contains("update    .mcp.json (adds mcpServers.plans)", stdout);
        Assert.Contains("create    .claude/settings.json", stdout);
        Assert.Contains("MCPPLAN_ROLE=implementer claude", stdout);
    }

    [Fact]
    public void Share_ignores_only_the_per_machine_files_and_drops_the_default_entries()
    {
        using var repo = new InitRepository();
        repo.Write(".gitignore", "bin/\n");
        repo.Init();

        var (exit, stdout, _) = repo.Init(share: true);

        Assert.Equal(0, exit);
        Assert.Equal("bin/\n\n# mcpplan\n.claude/plans/.lock\n.claude/plans/claims.json\n.claude/plans/**/*.tmp\n.claude/worktrees/\n", repo.Read(".gitignore"));
        Assert.Contains("removes .claude/plans/Review/", stdout);
        Assert.Contains("unchanged .gitignore", repo.Init(share: true).Stdout);
    }

    [Fact]
    public void Rerunning_replaces_only_the_marked_claude_md_block()
    {
        using var repo = new InitRepository();
        repo.Write("CLAUDE.md", $"# Notes\n\n{ClaudeMdSection.StartMarker}\nold text\n{ClaudeMdSection.EndMarker}\n\n## Style\nTabs.\n");

        repo.Init();

        var text = repo.Read("CLAUDE.md");
        Assert.StartsWith($"# Notes\n\n{ClaudeMdSection.StartMarker}\n## Plans workflow", text);
        Assert.EndsWith($"{ClaudeMdSection.EndMarker}\n\n## Style\nTabs.\n", text);
        Assert.DoesNotContain("old text", text);
        Assert.Single(text.Split(ClaudeMdSection.StartMarker)[1..]);
    }

    [Fact]
    public void A_moved_executable_updates_the_existing_entries_instead_of_adding_more()
    {
        using var repo = new InitRepository();
        repo.Init(launch: new ServerLaunchCommand("/old/place/mcpplan", []), allowMachinePath: true);

        var moved = new ServerLaunchCommand("dotnet", ["/opt/my tools/mcpplan.dll"]);
        var (_, stdout, _) = repo.Init(launch: moved, allowMachinePath: true);

        var server = JsonNode.Parse(repo.Read(".mcp.json"))!["mcpServers"]!["plans"]!;
        Assert.Equal("dotnet", server["command"]!.GetValue<string>());
        Assert.Equal(["/opt/my tools/mcpplan.dll", "serve", "--role", "${MCPPLAN_ROLE:-observer}"], server["args"]!.AsArray().Select(a => a!.GetValue<string>()));
        var preToolUse = JsonNode.Parse(repo.Read(".claude/settings.json"))!["hooks"]!["PreToolUse"]!.AsArray();
        Assert.StartsWith("dotnet '/opt/my tools/mcpplan.dll' hook || ", preToolUse.Single()!["hooks"]![0]!["command"]!.GetValue<string>());
        Assert.Contains("sets mcpServers.plans.command", stdout);
    }

    [Fact]
    public void A_configured_plans_root_is_used_for_folders_and_gitignore()
    {
        using var repo = new InitRepository();
        repo.Write(".claude/mcpplan.json", "{\"plansRoot\": \"docs/plans\"}");

        repo.Init();

        Assert.True(Directory.Exists(repo.Path("docs/plans/Completed")));
        Assert.False(Directory.Exists(repo.Path(".claude/plans")));
        Assert.Contains("docs/plans/Active/", repo.Read(".gitignore"));
        Assert.Equal("{\"plansRoot\": \"docs/plans\"}", repo.Read(".claude/mcpplan.json"));
    }

    [Theory]
    [InlineData(".mcp.json", "{ \"mcpServers\": ", ".mcp.json is not valid JSON")]
    [InlineData(".mcp.json", "[]", "does not hold a JSON object")]
    [InlineData(".mcp.json", "{\"mcpServers\": []}", "\"mcpServers\" should be an object")]
    [InlineData(".claude/settings.json", "{\"hooks\": {\"PreToolUse\": {}}}", "hooks.PreToolUse should be an array")]
    [InlineData(".claude/mcpplan.json", "{\"plansRoot\": \"/abs\"}", "plansRoot must be a folder inside the repository")]
    [InlineData("CLAUDE.md", "<!-- mcpplan:start -->\nno end", "no <!-- mcpplan:end -->")]
    public void A_file_init_cannot_merge_safely_stops_the_run_before_anything_is_written(string file, string content, string message)
    {
        using var repo = new InitRepository();
        repo.Write(file, content);
        var before = repo.Snapshot();

        var (exit, _, stderr) = repo.Init();

        Assert.Equal(1, exit);
        Assert.Contains(message, stderr);
        Assert.Contains("Nothing was written", stderr);
        Assert.Equal(before, repo.Snapshot());
    }

    [Fact]
    public void A_folder_without_git_is_set_up_with_a_warning()
    {
        using var repo = new InitRepository();
        Directory.Delete(repo.Path(".git"));

        var (exit, _, stderr) = repo.Init();

        Assert.Equal(0, exit);
        Assert.Contains("git init", stderr);
    }

    [Fact]
    public void A_path_of_this_machine_is_refused_without_the_flag_and_written_with_a_warning_with_it()
    {
        using var repo = new InitRepository();
        var machine = new ServerLaunchCommand("/home/me/src/mcpplan/bin/Release/net10.0/mcpplan", []);
        var before = repo.Snapshot();

        var (refused, _, why) = repo.Init(launch: machine);

        Assert.Equal(1, refused);
        Assert.Contains("--allow-machine-path", why);
        Assert.Contains("dotnet tool install McpPlanServer", why);
        Assert.Equal(before, repo.Snapshot());

        var (exit, _, warning) = repo.Init(launch: machine, allowMachinePath: true);

        Assert.Equal(0, exit);
        Assert.Contains("warning:", warning);
        Assert.Equal(machine.Command, JsonNode.Parse(repo.Read(".mcp.json"))!["mcpServers"]!["plans"]!["command"]!.GetValue<string>());
    }

    [Fact]
    public void A_local_tool_is_written_as_dotnet_tool_run()
    {
        using var repo = new InitRepository();

        repo.Init(launch: ServerLaunchCommand.LocalTool);

        var server = JsonNode.Parse(repo.Read(".mcp.json"))!["mcpServers"]!["plans"]!;
        Assert.Equal("dotnet", server["command"]!.GetValue<string>());
        Assert.Equal(["tool", "run", "mcpplan", "serve", "--role", "${MCPPLAN_ROLE:-observer}"], server["args"]!.AsArray().Select(a => a!.GetValue<string>()));
        var hook = JsonNode.Parse(repo.Read(".claude/settings.json"))!["hooks"]!["PreToolUse"]![0]!["hooks"]![0]!["command"]!.GetValue<string>();
        Assert.StartsWith("dotnet tool run mcpplan hook || ", hook);
    }

    [Fact]
    public void The_sandbox_rules_deny_every_session_the_protected_places_and_the_planner_the_repository()
    {
        using var repo = new InitRepository();
        repo.Write(".claude/mcpplan.json", "{\"plansRoot\": \"docs/plans\"}");

        repo.Init();

        var sandbox = JsonNode.Parse(repo.Read(".claude/settings.json"))!["sandbox"]!;
        Assert.True(sandbox["enabled"]!.GetValue<bool>());
        Assert.False(sandbox["allowUnsandboxedCommands"]!.GetValue<bool>());
        var denied = sandbox["filesystem"]!["denyWrite"]!.AsArray().Select(d => d!.GetValue<string>()).ToList();
        Assert.Equal(["docs/plans", ".claude/mcpplan.json", ".claude/mcpplan", ".claude/settings.json", ".claude/settings.local.json", ".claude/hooks",
            ".mcp.json", ".config/dotnet-tools.json", "~/.claude/settings.json", "~/.claude/settings.local.json", "~/.claude.json"], denied);

        var planner = RoleDenied(repo, "planner");
        var implementer = RoleDenied(repo, "implementer");
        var observer = RoleDenied(repo, "observer");
        Assert.Equal("../..", planner[0]); // the repository, relative to .claude/mcpplan/
        Assert.Contains("../../docs/plans", planner);
        Assert.Equal(observer, planner);
        Assert.DoesNotContain("../..", implementer);
        Assert.Contains("../../docs/plans", implementer);
        Assert.Contains("../../.claude/settings.json", implementer);
    }

    [Fact]
    public void Sandbox_settings_the_person_chose_are_kept()
    {
        using var repo = new InitRepository();
        repo.Write(".claude/settings.json", "{\"sandbox\": {\"enabled\": false, \"filesystem\": {\"denyWrite\": [\"secrets\", \".mcp.json\"]}}}");

        var (_, stdout, _) = repo.Init();

        var sandbox = JsonNode.Parse(repo.Read(".claude/settings.json"))!["sandbox"]!;
        Assert.False(sandbox["enabled"]!.GetValue<bool>());
        var denied = sandbox["filesystem"]!["denyWrite"]!.AsArray().Select(d => d!.GetValue<string>()).ToList();
        Assert.Equal("secrets", denied[0]);
        Assert.Single(denied, d => d == ".mcp.json");
        Assert.Contains("sandbox: off in .claude/settings.json", stdout);
        Assert.Contains("in force: hook only", stdout);
    }

    private static List<string> RoleDenied(InitRepository repo, string role) =>
        JsonNode.Parse(repo.Read($".claude/mcpplan/{role}.settings.json"))!["sandbox"]!["filesystem"]!["denyWrite"]!.AsArray().Select(d => d!.GetValue<string>()).ToList();
}
