using System.Text.Json.Nodes;

namespace McpPlanServer.EndToEnd.Support;

/// <summary>
/// The real Claude Code CLI (pinned in tests/claude-code) as every black-box test starts it: a scratch HOME that trusts
/// the repository and approves its MCP servers so nothing prompts, the person's own Claude Code session scrubbed from the
/// environment (<c>CLAUDECODE</c>, <c>CLAUDE_CODE_ENTRYPOINT</c>, <c>CLAUDE_CONFIG_DIR</c>), and either a scripted model on
/// loopback (<c>ANTHROPIC_BASE_URL</c> with a dummy key) or no key at all.
/// </summary>
internal static class ClaudeCodeProcess
{
    /// <summary>Skips the test where Claude Code's sandbox cannot run: bubblewrap and socat on Linux.</summary>
    public static void SkipUnlessSandbox()
    {
        Assert.SkipWhen(!OperatingSystem.IsLinux(), "the bubblewrap sandbox is Linux's; macOS uses Seatbelt");
        Assert.SkipWhen(!OnPath("bwrap") || !OnPath("socat"), "bubblewrap and socat are needed for Claude Code's sandbox (apt-get install bubblewrap socat)");
    }

    /// <summary>Installs the pinned CLI (skips the test only when npm's registry cannot be reached) and returns its path.</summary>
    public static async Task<string> InstallAsync()
    {
        var install = await NodePackages.InstallAsync("claude-code");
        Assert.SkipWhen(install.RegistryUnreachable, $"Claude Code CLI not available: {install.Error}");
        Assert.True(install.Error is null, install.Error);
        return Path.Combine(install.Folder, "node_modules", ".bin", "claude");
    }

    /// <summary>
    /// A HOME whose Claude Code settings trust <paramref name="repositoryRoot"/> and approve its MCP servers: in
    /// <paramref name="home"/> when given, else in a new temporary folder the caller deletes.
    /// </summary>
    public static string ScratchHome(string repositoryRoot, string? home = null)
    {
        home ??= Directory.CreateTempSubdirectory("mcpplan-claude-home-").FullName;
        Directory.CreateDirectory(Path.Combine(home, ".claude"));
        File.WriteAllText(Path.Combine(home, ".claude", "settings.json"), """{"enableAllProjectMcpServers": true}""");
        var project = new JsonObject { ["hasTrustDialogAccepted"] = true, ["enableAllProjectMcpServers"] = true };
        File.WriteAllText(Path.Combine(home, ".claude.json"), new JsonObject { ["hasCompletedOnboarding"] = true, ["projects"] = new JsonObject { [repositoryRoot] = project } }.ToJsonString());
        return home;
    }

    /// <summary>
    /// Runs <paramref name="cli"/> with <paramref name="arguments"/> as <paramref name="role"/> (<c>MCPPLAN_ROLE</c>; unset
    /// when null) in <paramref name="home"/>, talking to <paramref name="model"/> when given (no API key otherwise);
    /// <paramref name="settings"/> adds or overrides variables.
    /// </summary>
    public static Task<ProcessResult> RunAsync(
        string cli,
        IEnumerable<string> arguments,
        string workingDirectory,
        string home,
        string? role,
        TimeSpan timeout,
        ScriptedModel? model = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["HOME"] = home,
            ["MCPPLAN_ROLE"] = role,
            ["CLAUDE_CONFIG_DIR"] = null,
            ["CLAUDECODE"] = null,
            ["CLAUDE_CODE_ENTRYPOINT"] = null,
            ["ANTHROPIC_BASE_URL"] = model?.BaseUrl,
            ["ANTHROPIC_API_KEY"] = model is null ? null : "sk-scripted-model",
            ["CI"] = "true",
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[name] = value;
        }

        return ProcessRunner.RunAsync(cli, arguments, workingDirectory, environment, timeout: timeout);
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(folder => File.Exists(Path.Combine(folder, tool)));
}
