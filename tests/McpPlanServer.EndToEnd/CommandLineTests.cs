using System.Text.Json.Nodes;
using McpPlanServer.EndToEnd.Support;

namespace McpPlanServer.EndToEnd;

/// <summary>The built executable's command line: help per command, options a command does not take, the hook's direct dispatch.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task Serve_help_is_help_and_an_option_status_does_not_take_is_a_usage_error()
    {
        using var repository = await TestRepository.CreateAsync();

        var help = await ProcessRunner.RunAsync(Executable.Path, ["serve", "--help"], repository.Root);
        var foreign = await repository.CliAsync("status", "--by", "x");
        var version = await ProcessRunner.RunAsync(Executable.Path, ["--version"], repository.Root);

        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.Contains("--role <planner|implementer|observer>", help.Output);
        Assert.Equal(2, foreign.ExitCode);
        Assert.Contains("Unrecognized command or argument '--by'", foreign.Error);
        Assert.Contains("Run 'mcpplan status --help' for its options.", foreign.Error);
        Assert.Equal("", foreign.Output);
        Assert.Equal(0, version.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+\s*$", version.Output);
    }

    [Theory]
    [InlineData("hook")]
    [InlineData("hook --client claude")]
    [InlineData("hook --client=claude")]
    public async Task The_hook_answers_the_same_through_the_direct_dispatch_and_the_parser(string commandLine)
    {
        var arguments = commandLine.Split(' ');
        using var repository = await TestRepository.CreateAsync();
        var call = new JsonObject
        {
            ["hook_event_name"] = "PreToolUse", ["tool_name"] = "Write", ["cwd"] = repository.Root,
            ["tool_input"] = new JsonObject { ["file_path"] = Path.Combine(repository.PlansRoot, "Active", "p.md"), ["content"] = "x" },
        }.ToJsonString();

        var denied = await ProcessRunner.RunAsync(Executable.Path, arguments, repository.Root,
            new Dictionary<string, string?> { ["MCPPLAN_ROLE"] = "implementer", ["CLAUDE_PROJECT_DIR"] = repository.Root }, call);

        Assert.True(denied.ExitCode == 0, denied.ToString());
        Assert.Contains("\"permissionDecision\":\"deny\"", denied.Output);
    }

    [Fact]
    public async Task The_codex_hook_denies_a_patch_of_the_plans_folder_and_blocks_what_it_cannot_read()
    {
        using var repository = await TestRepository.CreateAsync();
        var environment = new Dictionary<string, string?> { ["MCPPLAN_ROLE"] = "implementer", ["CLAUDE_PROJECT_DIR"] = null };
        string Call(string patch) => new JsonObject
        {
            ["session_id"] = "s", ["turn_id"] = "t", ["hook_event_name"] = "PreToolUse", ["tool_name"] = "apply_patch", ["cwd"] = repository.Root,
            ["tool_input"] = new JsonObject { ["command"] = patch },
        }.ToJsonString();

        var denied = await ProcessRunner.RunAsync(Executable.Path, ["hook", "--client", "codex"], repository.Root, environment,
            Call("*** Begin Patch\n*** Update File: .claude/plans/Active/p.md\n@@\n+x\n*** End Patch\n"));
        var allowed = await ProcessRunner.RunAsync(Executable.Path, ["hook", "--client", "codex"], repository.Root, environment,
            Call("*** Begin Patch\n*** Add File: src/a.cs\n+x\n*** End Patch\n"));
        var unreadable = await ProcessRunner.RunAsync(Executable.Path, ["hook", "--client", "codex"], repository.Root, environment, Call("no patch"));

        Assert.True(denied.ExitCode == 0, denied.ToString());
        Assert.Contains("\"permissionDecision\":\"deny\"", denied.Output);
        Assert.True(allowed.ExitCode == 0 && allowed.Output.Length == 0, allowed.ToString());
        Assert.Equal(2, unreadable.ExitCode);
        Assert.Contains("names no file", unreadable.Error);
    }
}
