using McpPlanServer.EndToEnd.Support;

namespace McpPlanServer.EndToEnd;

/// <summary>
/// Issue 20 with the real Claude Code CLI and a scripted model: after the person's approval pins an acceptance test,
/// <c>mcpplan approve</c> has put it in the deny list of <c>.claude/mcpplan/implementer.settings.json</c>, and an implementer
/// session started with that file cannot rewrite the test through a script the hook cannot see into (bubblewrap stops
/// the write). The control row proves the session ran the command. Skipped only when npm cannot reach the registry or
/// bubblewrap/socat are missing, like <see cref="ClaudeCodeSandboxTests"/>.
/// </summary>
public sealed class AcceptanceSandboxTests
{
    public static TheoryData<string, bool> Scripts => new()
    {
        // the script the model runs, whether its write may succeed
        { "sh tools/weaken.sh", false },
        { "sh tools/control.sh", true },
    };

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task The_implementers_script_cannot_rewrite_a_pinned_test_under_the_sandbox(string command, bool allowed)
    {
        ClaudeCodeProcess.SkipUnlessSandbox();
        var claude = await ClaudeCodeProcess.InstallAsync();

        using var repository = await TestRepository.CreateAsync();
        repository.WriteFile("tools/weaken.sh", $"echo 'echo greeting: 1 passed, 0 failed' > {AcceptanceTests.TestPath}\n");
        repository.WriteFile("tools/control.sh", "echo ok > src/control.txt\n");
        repository.WriteFile("src/app.py", "print('app')\n");
        await repository.GitAsync("add", "-A");
        await repository.GitAsync("commit", "-q", "-m", "code");
        var init = await ProcessRunner.RunAsync(Executable.Path, ["init", "--allow-machine-path"], repository.Root);
        Assert.True(init.ExitCode == 0, init.ToString());

        await using (var planner = await ServerSession.StartAsync(repository, "planner"))
        {
            await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = AcceptanceTests.Plan() });
            await planner.CallOkAsync("write_acceptance_file", new { plan_id = "greeting", path = AcceptanceTests.TestPath, content = AcceptanceTests.Test });
        }

        var approve = await repository.ApproveAsync("greeting");
        Assert.True(approve.ExitCode == 0, approve.ToString());
        Assert.Contains("denies writes to 1 pinned acceptance test file", approve.Output);
        Assert.Contains($"../../{AcceptanceTests.TestPath}", File.ReadAllText(Path.Combine(repository.Root, ".claude", "mcpplan", "implementer.settings.json")));

        using var model = new ScriptedModel(command);
        var home = ClaudeCodeProcess.ScratchHome(repository.Root);
        try
        {
            var session = await ClaudeCodeSandboxTests.RunClaudeAsync(claude, repository, home, model, "implementer");
            Assert.True(session.ExitCode == 0, session.ToString());
            var result = Assert.Single(model.ToolResults);
            if (allowed)
            {
                Assert.True(File.Exists(Path.Combine(repository.Root, "src", "control.txt")), $"the control write did not happen, so the session ran nothing: {result}");
                return;
            }

            Assert.Equal(AcceptanceTests.Test, File.ReadAllText(Path.Combine(repository.Root, AcceptanceTests.TestPath)));
            Assert.Matches("Read-only file system|Operation not permitted|Permission denied", result);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
