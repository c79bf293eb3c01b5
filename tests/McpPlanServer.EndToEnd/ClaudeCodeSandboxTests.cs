using System.Text.Json.Nodes;
using McpPlanServer.EndToEnd.Support;

namespace McpPlanServer.EndToEnd;

/// <summary>
/// Issue 10 item 4 with the real Claude Code CLI (pinned in tests/claude-code) and a scripted model: a repository set
/// up by the built <c>mcpplan init</c>, a session started the way init says (<c>MCPPLAN_ROLE=… claude --settings
/// .claude/mcpplan/&lt;role&gt;.settings.json</c>), and a Bash call the hook cannot see into. The sandbox (bubblewrap)
/// must stop the write and leave the tree unchanged; the control row proves the session really ran commands.
/// Skipped only when npm cannot reach the registry or bubblewrap/socat are missing (.ci/run installs them).
/// </summary>
[Trait("Speed", "Long")]
public sealed class ClaudeCodeSandboxTests
{
    public static TheoryData<string, string, string, bool> Sessions => new()
    {
        // role, command the model runs, file it would create, whether the write may succeed
        { "planner", "python3 -c \"open('src/x.py','w').write('x')\"", "src/x.py", false },
        { "implementer", "sh tools/note.sh", ".claude/plans/Active/note.md", false },
        { "implementer", "python3 -c \"open('.claude/plans/.records/forged.json','w').write('{}')\"", ".claude/plans/.records/forged.json", false },
        { "implementer", "python3 -c \"open('src/ok.py','w').write('x')\"", "src/ok.py", true },
    };

    [Theory]
    [MemberData(nameof(Sessions))]
    public async Task The_sandbox_confines_what_the_hook_cannot_see(string role, string command, string target, bool allowed)
    {
        Assert.SkipWhen(!OperatingSystem.IsLinux(), "the bubblewrap sandbox is Linux's; macOS uses Seatbelt");
        Assert.SkipWhen(!OnPath("bwrap") || !OnPath("socat"), "bubblewrap and socat are needed for Claude Code's sandbox (apt-get install bubblewrap socat)");
        var install = await NodePackages.InstallAsync("claude-code");
        Assert.SkipWhen(install.RegistryUnreachable, $"Claude Code CLI not available: {install.Error}");
        Assert.True(install.Error is null, install.Error);

        using var repository = await TestRepository.CreateAsync();
        repository.WriteFile("src/app.py", "print('app')\n");
        repository.WriteFile("tools/note.sh", "echo 'a note' > .claude/plans/Active/note.md\n");
        await repository.GitAsync("add", "-A");
        await repository.GitAsync("commit", "-q", "-m", "code");
        var init = await ProcessRunner.RunAsync(Executable.Path, ["init", "--allow-machine-path"], repository.Root);
        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.Contains("in force: sandbox and hook", init.Output);
        Directory.CreateDirectory(Path.Combine(repository.PlansRoot, ".records"));
        var before = repository.Snapshot();

        using var model = new ScriptedModel(command);
        var home = ScratchHome(repository.Root);
        try
        {
            await RunSessionAsync(install.Folder, repository, home, model, role, command, target, allowed, before);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static async Task RunSessionAsync(
        string installFolder, TestRepository repository, string home, ScriptedModel model, string role, string command, string target, bool allowed,
        IReadOnlyDictionary<string, string> before)
    {
        var session = await RunClaudeAsync(installFolder, repository, home, model, role);
        Assert.True(session.ExitCode == 0, session.ToString());
        var result = Assert.Single(model.ToolResults);
        var written = File.Exists(Path.Combine(repository.Root, target));
        if (allowed)
        {
            Assert.True(written, $"the control write did not happen, so the session ran nothing: {result}");
            return;
        }

        Assert.False(written, $"{role} wrote {target} through `{command}`: {result}");
        Assert.Matches("Read-only file system|Errno 30|Operation not permitted|Permission denied", result);
        var after = repository.Snapshot();
        // The CLI itself (not the agent's Bash) records the project server approval in .claude/settings.local.json.
        var changed = before.Keys.Union(after.Keys)
            .Where(file => file != ".claude/settings.local.json" && before.GetValueOrDefault(file) != after.GetValueOrDefault(file))
            .ToList();
        Assert.True(changed.Count == 0, $"the session changed {string.Join(", ", changed)}");
    }

    /// <summary>One non-interactive session of <paramref name="role"/> started the way init says, its model scripted.</summary>
    internal static Task<ProcessResult> RunClaudeAsync(string installFolder, TestRepository repository, string home, ScriptedModel model, string role)
    {
        var claude = Path.Combine(installFolder, "node_modules", ".bin", "claude");
        return ProcessRunner.RunAsync(
            claude,
            ["-p", "Run the command.", "--settings", $".claude/mcpplan/{role}.settings.json", "--allowedTools", "Bash", "--output-format", "json"],
            repository.Root,
            new Dictionary<string, string?>
            {
                ["HOME"] = home,
                ["MCPPLAN_ROLE"] = role,
                ["ANTHROPIC_BASE_URL"] = model.BaseUrl,
                ["ANTHROPIC_API_KEY"] = "sk-scripted-model",
                ["CLAUDE_CONFIG_DIR"] = null,
                ["CLAUDECODE"] = null,
                ["CLAUDE_CODE_ENTRYPOINT"] = null,
                ["CI"] = "true",
            },
            timeout: TimeSpan.FromSeconds(120));
    }

    internal static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(folder => File.Exists(Path.Combine(folder, tool)));

    /// <summary>A HOME whose Claude Code settings trust the repository and approve its MCP server, so nothing prompts.</summary>
    internal static string ScratchHome(string repositoryRoot)
    {
        var home = Directory.CreateTempSubdirectory("mcpplan-claude-home-").FullName;
        Directory.CreateDirectory(Path.Combine(home, ".claude"));
        File.WriteAllText(Path.Combine(home, ".claude", "settings.json"), """{"enableAllProjectMcpServers": true}""");
        var project = new JsonObject { ["hasTrustDialogAccepted"] = true, ["enableAllProjectMcpServers"] = true };
        File.WriteAllText(Path.Combine(home, ".claude.json"), new JsonObject { ["hasCompletedOnboarding"] = true, ["projects"] = new JsonObject { [repositoryRoot] = project } }.ToJsonString());
        return home;
    }
}
