using McpPlanServer.Clients.Init;

namespace McpPlanServer.Tests.Init;

public sealed class ToolVersionCheckTests
{
    private const string Manifest = """{ "version": 1, "isRoot": true, "tools": { "mcpplanserver": { "version": "PINNED", "commands": [ "mcpplan" ], "rollForward": false } } }""";

    [Theory]
    [InlineData(".config/dotnet-tools.json", "0.1.0", "0.1.0", "version: mcpplan 0.1.0, the version .config/dotnet-tools.json pins (mcpplanserver)")]
    [InlineData("dotnet-tools.json", "0.1.0", "0.1.0+5d1c2a9", "version: mcpplan 0.1.0, the version dotnet-tools.json pins (mcpplanserver)")]
    [InlineData(".config/dotnet-tools.json", "0.1.0-beta.2", "0.1.0-BETA.2", "version: mcpplan 0.1.0-BETA.2, the version .config/dotnet-tools.json pins (mcpplanserver)")]
    public void A_running_version_the_manifest_pins_is_reported_as_matching(string manifestPath, string pinned, string installed, string expected)
    {
        using var repo = new InitRepository();
        repo.Write(manifestPath, Manifest.Replace("PINNED", pinned, StringComparison.Ordinal));

        Assert.Equal(expected, ToolVersionCheck.Describe(repo.Root, installed));
    }

    [Fact]
    public void A_mismatch_names_both_versions_and_both_fixes()
    {
        using var repo = new InitRepository();
        repo.Write(".config/dotnet-tools.json", Manifest.Replace("PINNED", "0.1.0", StringComparison.Ordinal));

        var line = ToolVersionCheck.Describe(repo.Root, "0.2.0+abc");

        Assert.StartsWith("version: MISMATCH: mcpplan 0.2.0 is running here, but .config/dotnet-tools.json pins mcpplanserver 0.1.0.", line);
        Assert.Contains("dotnet tool restore", line);
        Assert.Contains("dotnet tool update --local mcpplanserver --version 0.2.0", line);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("""{ "version": 1, "tools": { "dotnet-ef": { "version": "9.0.0", "commands": [ "dotnet-ef" ] } } }""")]
    [InlineData("""{ "version": 1, "tools": { "mcpplanserver": { "commands": [ "mcpplan" ] } } }""")]
    public void Without_a_pin_the_line_says_so_and_how_to_pin(string? manifest)
    {
        using var repo = new InitRepository();
        if (manifest is not null)
        {
            repo.Write(".config/dotnet-tools.json", manifest);
        }

        var line = ToolVersionCheck.Describe(repo.Root, "0.1.0");

        Assert.StartsWith("version: mcpplan 0.1.0; no tool manifest pins a version", line);
        Assert.Contains("dotnet tool install --local McpPlanServer --version 0.1.0", line);
    }

    [Fact]
    public void A_broken_manifest_is_reported_not_thrown()
    {
        using var repo = new InitRepository();
        repo.Write(".config/dotnet-tools.json", "{ \"tools\": ");

        var line = ToolVersionCheck.Describe(repo.Root, "0.1.0");

        Assert.StartsWith("version: mcpplan 0.1.0; cannot tell which version the repository expects: .config/dotnet-tools.json is not valid JSON", line);
    }

    [Fact]
    public void Doctor_puts_the_version_line_first()
    {
        using var repo = new InitRepository();
        repo.Write(".config/dotnet-tools.json", Manifest.Replace("PINNED", "0.0.9", StringComparison.Ordinal));

        var lines = ClientDoctor.Describe(repo.Root, pathVariable: "", homeDirectory: null, installedVersion: "0.1.0");

        Assert.StartsWith("version: MISMATCH: mcpplan 0.1.0 is running here", lines[0]);
    }
}
