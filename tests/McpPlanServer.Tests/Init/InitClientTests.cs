using System.Text.Json.Nodes;
using McpPlanServer.Clients.Init;

namespace McpPlanServer.Tests.Init;

public sealed class InitClientTests
{
    private static readonly string[] RoleFromEnvironment = ["serve", "--role-from-env"];

    [Fact]
    public void All_clients_on_an_empty_repository_get_their_project_files_with_the_role_from_the_environment()
    {
        using var repo = new InitRepository();

        var (exit, stdout, stderr) = repo.Init(clients: InitClients.All);

        Assert.Equal(0, exit);
        Assert.Empty(stderr);
        Assert.True(File.Exists(repo.Path(".mcp.json")), "claude stays configured");

        var gemini = JsonNode.Parse(repo.Read(".gemini/settings.json"))!["mcpServers"]!["plans"]!;
        Assert.Equal("mcpplan", gemini["command"]!.GetValue<string>());
        Assert.Equal(RoleFromEnvironment, gemini["args"]!.AsArray().Select(a => a!.GetValue<string>()));

        var cursor = JsonNode.Parse(repo.Read(".cursor/mcp.json"))!["mcpServers"]!["plans"]!;
        Assert.Equal(RoleFromEnvironment, cursor["args"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("${env:MCPPLAN_ROLE}", cursor["env"]!["MCPPLAN_ROLE"]!.GetValue<string>());

        var vscode = JsonNode.Parse(repo.Read(".vscode/mcp.json"))!["servers"]!["plans"]!;
        Assert.Equal("stdio", vscode["type"]!.GetValue<string>());
        Assert.Equal("${env:MCPPLAN_ROLE}", vscode["env"]!["MCPPLAN_ROLE"]!.GetValue<string>());

        Assert.Equal(
            "[mcp_servers.plans]\ncommand = \"mcpplan\"\nargs = [\"serve\", \"--role-from-env\"]\nenv_vars = [\"MCPPLAN_ROLE\"]\n",
            repo.Read(".codex/config.toml"));

        // Copilot CLI has only a user-level file: init prints the entry and writes nothing for it.
        Assert.Contains("~/.copilot/mcp-config.json", stdout);
        Assert.Contains("\"type\": \"local\"", stdout);
        Assert.False(Directory.Exists(repo.Path(".copilot")));
    }

    [Fact]
    public void Only_the_chosen_clients_are_written_and_claude_files_stay_away_without_claude()
    {
        using var repo = new InitRepository();

        var (exit, _, _) = repo.Init(clients: [InitClients.Codex]);

        Assert.Equal(0, exit);
        Assert.True(File.Exists(repo.Path(".codex/config.toml")));
        Assert.True(Directory.Exists(repo.Path(".claude/plans/Active")), "the plans folders are shared by every client");
        Assert.False(File.Exists(repo.Path(".mcp.json")));
        Assert.False(File.Exists(repo.Path(".claude/settings.json")));
        Assert.False(File.Exists(repo.Path(".gemini/settings.json")));
    }

    [Fact]
    public void A_second_run_for_every_client_changes_nothing()
    {
        using var repo = new InitRepository();
        repo.Init(clients: InitClients.All);
        var before = repo.Snapshot();

        var (exit, stdout, _) = repo.Init(clients: InitClients.All);

        Assert.Equal(0, exit);
        Assert.Contains("nothing changed", stdout);
        Assert.Equal(before, repo.Snapshot());
    }

    [Fact]
    public void Existing_json_client_files_keep_their_servers_keys_and_the_persons_role_value()
    {
        using var repo = new InitRepository();
        repo.Write(".gemini/settings.json", """{ "theme": "dark", "mcpServers": { "other": { "command": "x" } } }""");
        repo.Write(".cursor/mcp.json", """{ "mcpServers": { "plans": { "command": "old", "args": [], "env": { "MCPPLAN_ROLE": "planner", "KEEP": "1" } } } }""");
        repo.Write(".vscode/mcp.json", """{ "inputs": [], "servers": { "other": { "type": "stdio", "command": "y" } } }""");

        var (exit, stdout, _) = repo.Init(clients: [InitClients.Gemini, InitClients.Cursor, InitClients.VsCode]);

        Assert.Equal(0, exit);
        var gemini = JsonNode.Parse(repo.Read(".gemini/settings.json"))!;
        Assert.Equal("dark", gemini["theme"]!.GetValue<string>());
        Assert.Equal("x", gemini["mcpServers"]!["other"]!["command"]!.GetValue<string>());
        Assert.NotNull(gemini["mcpServers"]!["plans"]);

        var cursor = JsonNode.Parse(repo.Read(".cursor/mcp.json"))!["mcpServers"]!["plans"]!;
        Assert.Equal("mcpplan", cursor["command"]!.GetValue<string>());
        Assert.Equal("planner", cursor["env"]!["MCPPLAN_ROLE"]!.GetValue<string>()); // no flip of the person's value
        Assert.Equal("1", cursor["env"]!["KEEP"]!.GetValue<string>());
        Assert.Contains("update    .cursor/mcp.json (sets mcpServers.plans.command; sets mcpServers.plans.args)", stdout);

        var vscode = JsonNode.Parse(repo.Read(".vscode/mcp.json"))!;
        Assert.NotNull(vscode["inputs"]);
        Assert.Equal("y", vscode["servers"]!["other"]!["command"]!.GetValue<string>());
    }

    [Fact]
    public void An_existing_codex_config_keeps_its_comments_and_tables_and_gains_the_role_in_env_vars()
    {
        using var repo = new InitRepository();
        const string existing = "# team settings\nmodel = \"o4\"\n\n[mcp_servers.plans]\ncommand = \"/old/mcpplan\"\nenv_vars = [\"HOME_EXTRA\"]\nstartup_timeout_sec = 20\n\n[mcp_servers.other]\ncommand = \"z\"\n";
        repo.Write(".codex/config.toml", existing);

        var (exit, stdout, _) = repo.Init(clients: [InitClients.Codex]);

        Assert.Equal(0, exit);
        Assert.Equal(
            "# team settings\nmodel = \"o4\"\n\n[mcp_servers.plans]\ncommand = \"mcpplan\"\nenv_vars = [\"MCPPLAN_ROLE\", \"HOME_EXTRA\"]\nstartup_timeout_sec = 20\nargs = [\"serve\", \"--role-from-env\"]\n\n[mcp_servers.other]\ncommand = \"z\"\n",
            repo.Read(".codex/config.toml"));
        Assert.Contains("update    .codex/config.toml", stdout);

        var second = repo.Init(clients: [InitClients.Codex]);
        Assert.Contains("unchanged .codex/config.toml", second.Stdout);
    }

    [Fact]
    public void A_codex_config_without_the_table_gets_it_appended_after_a_blank_line()
    {
        using var repo = new InitRepository();
        repo.Write(".codex/config.toml", "model = \"o4\"");

        repo.Init(clients: [InitClients.Codex]);

        Assert.StartsWith("model = \"o4\"\n\n[mcp_servers.plans]\n", repo.Read(".codex/config.toml"));
    }

    [Theory]
    [InlineData("[mcp_servers]\nplans = { command = \"x\" }\n")]
    [InlineData("mcp_servers.plans.command = \"x\"\n")]
    [InlineData("[mcp_servers.plans.env]\nA = \"1\"\n")]
    public void A_codex_server_written_another_way_is_refused_and_nothing_is_written(string existing)
    {
        using var repo = new InitRepository();
        repo.Write(".codex/config.toml", existing);
        var before = repo.Snapshot();

        var (exit, _, stderr) = repo.Init(clients: [InitClients.Codex]);

        Assert.Equal(1, exit);
        Assert.Contains(".codex/config.toml", stderr);
        Assert.Contains("Nothing was written", stderr);
        Assert.Equal(before, repo.Snapshot());
    }

    [Fact]
    public void A_malformed_client_file_stops_init_before_anything_is_written()
    {
        using var repo = new InitRepository();
        repo.Write(".vscode/mcp.json", "{ \"servers\": [ }");
        var before = repo.Snapshot();

        var (exit, _, stderr) = repo.Init(clients: InitClients.All);

        Assert.Equal(1, exit);
        Assert.Contains(".vscode/mcp.json is not valid JSON", stderr);
        Assert.Equal(before, repo.Snapshot());
    }

    [Fact]
    public void A_toml_string_escapes_quotes_backslashes_and_control_characters()
    {
        Assert.Equal("\"C:\\\\tools\\\\mcp\\\"plan\\\"\\u0001\"", CodexConfigMerger.Quote("C:\\tools\\mcp\"plan\"\u0001"));
    }

    [Theory]
    [InlineData(null, new[] { "claude" })]
    [InlineData("all", new[] { "claude", "codex", "gemini", "cursor", "vscode", "copilot" })]
    [InlineData("Gemini, codex", new[] { "codex", "gemini" })]
    public void The_client_option_parses_lists_and_all(string? value, string[] expected)
    {
        Assert.Equal(expected, InitClients.Parse(value));
    }

    [Theory]
    [InlineData("claud")]
    [InlineData(",")]
    public void An_unknown_client_is_a_usage_error_that_lists_the_names(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => InitClients.Parse(value));
        Assert.Contains("codex", error.Message);
    }
}
