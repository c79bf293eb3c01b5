using McpPlanServer.Cli.Init;

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
            Assert.Equal(2, lines.Count(line => line.Contains("NOT checked before they happen", StringComparison.Ordinal)));
            Assert.Equal(3, lines.Count(line => line == "  role: from MCPPLAN_ROLE in the client's environment (unset: observer)"));
            Assert.Equal(3, lines.Count(line => line == "  portable: yes (mcpplan)"));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
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
