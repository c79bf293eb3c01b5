using McpPlanServer.Clients.Init;

namespace McpPlanServer.Tests.Init;

public sealed class ClientDoctorTests
{
    [Fact]
    public void Each_configured_client_says_what_is_enforced_and_the_others_say_how_to_configure_them()
    {
        using var repo = new InitRepository();
        repo.Init(clients: [InitClients.Claude, InitClients.Codex, InitClients.Gemini]);
        var home = Directory.CreateTempSubdirectory("mcpplan-home-").FullName;
        try
        {
            var lines = ClientDoctor.Describe(repo.Root, pathVariable: "", homeDirectory: home);
            var text = string.Join('\n', lines);

            Assert.Contains("claude: configured in .mcp.json", lines);
            Assert.Contains("codex: configured in .codex/config.toml", lines);
            Assert.Contains("gemini: configured in .gemini/settings.json", lines);
            Assert.Contains("cursor: not configured (.cursor/mcp.json); run mcpplan init --client cursor", lines);
            Assert.Contains(lines, line => line.StartsWith("copilot: not configured (~/.copilot/mcp-config.json)", StringComparison.Ordinal));
            Assert.Contains("  hook:    registered in .claude/settings.json", text);
            Assert.DoesNotContain(lines, line => line.Contains("NOT checked before they happen", StringComparison.Ordinal)); // init registered the codex and gemini hooks
            Assert.Equal(2, lines.Count(line => line == "  in force: server roles and the hook"));
            Assert.Equal(3, lines.Count(line => line == "  role: from MCPPLAN_ROLE in the client's environment (unset: observer)"));
            Assert.Equal(3, lines.Count(line => line == "  portable: yes (mcpplan)"));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public void A_registered_gemini_hook_is_reported_as_checking_edits()
    {
        using var repo = new InitRepository();
        repo.Init(clients: [InitClients.Gemini]);
        var settings = System.Text.Json.Nodes.JsonNode.Parse(repo.Read(".gemini/settings.json"))!.AsObject();
        settings["hooks"] = System.Text.Json.Nodes.JsonNode.Parse("""{ "BeforeTool": [ { "matcher": "write_file|replace|run_shell_command", "hooks": [ { "type": "command", "command": "mcpplan hook --client gemini" } ] } ] }""");
        repo.Write(".gemini/settings.json", settings.ToJsonString());

        var lines = ClientDoctor.Describe(repo.Root, pathVariable: "", homeDirectory: null);

        Assert.Contains(lines, line => line.StartsWith("  edits/shell: checked before they happen by mcpplan hook --client gemini", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains("NOT checked", StringComparison.Ordinal));
    }

    [Fact]
    public void A_machine_path_and_a_fixed_role_are_reported_with_their_fix()
    {
        using var repo = new InitRepository();
        repo.Write(".codex/config.toml", "[mcp_servers.plans]\ncommand = \"/home/me/bin/mcpplan\"\nargs = [\"serve\", \"--role\", \"implementer\"]\n");
        repo.Write(".cursor/mcp.json", """{ "mcpServers": { "plans": { "command": "mcpplan", "args": ["serve", "--role-from-env"] } } }""");

        var lines = ClientDoctor.Describe(repo.Root, pathVariable: "", homeDirectory: null);

        Assert.Contains(lines, line => line.StartsWith("  portable: no, it names /home/me/bin/mcpplan", StringComparison.Ordinal) && line.Contains("run mcpplan init again", StringComparison.Ordinal));
        Assert.Contains("  role: fixed in the configuration (serve --role implementer); run mcpplan init --client codex to take it from MCPPLAN_ROLE", lines);
        Assert.Contains("cursor: configured in .cursor/mcp.json", lines);
    }
}
