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
        ClaudeCodeProcess.SkipUnlessSandbox();
        var claude = await ClaudeCodeProcess.InstallAsync();

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
        var home = ClaudeCodeProcess.ScratchHome(repository.Root);
        try
        {
            await RunSessionAsync(claude, repository, home, model, role, command, target, allowed, before);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static async Task RunSessionAsync(
        string claude, TestRepository repository, string home, ScriptedModel model, string role, string command, string target, bool allowed,
        IReadOnlyDictionary<string, string> before)
    {
        var session = await RunClaudeAsync(claude, repository, home, model, role);
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
    internal static Task<ProcessResult> RunClaudeAsync(string claude, TestRepository repository, string home, ScriptedModel model, string role) =>
        ClaudeCodeProcess.RunAsync(
            claude,
            ["-p", "Run the command.", "--settings", $".claude/mcpplan/{role}.settings.json", "--allowedTools", "Bash", "--output-format", "json"],
            repository.Root,
            home,
            role,
            TimeSpan.FromSeconds(120),
            model);
}
