using System.Text.Json.Nodes;
using McpPlanServer.EndToEnd.Support;

namespace McpPlanServer.EndToEnd;

/// <summary>
/// Issue 10 item 2, black-box: what the built <c>mcpplan init</c> writes into the shared files works, or blocks, on a
/// teammate's machine. A machine path needs the person's flag; the apphost and <c>dotnet mcpplan.dll</c> write the same
/// files; and the exact hook command written into <c>.claude/settings.json</c>, run through the shell as Claude Code
/// runs it, exits 2 with the fix where mcpplan cannot be started (exit 127 would let every call through).
/// </summary>
public sealed class InitPortabilityTests
{
    private static readonly string PathWithoutMcpplan = "/usr/local/bin:/usr/bin:/bin";

    [Fact]
    public async Task A_machine_path_is_refused_without_the_flag_and_the_apphost_and_dotnet_do_not_flip_the_files()
    {
        using var repository = await TestRepository.CreateAsync();
        var environment = new Dictionary<string, string?> { ["PATH"] = DotnetFolderPath() };

        var refused = await ProcessRunner.RunAsync(Executable.Path, ["init"], repository.Root, environment);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("--allow-machine-path", refused.Error);
        Assert.False(File.Exists(Path.Combine(repository.Root, ".mcp.json")));

        var fromApphost = await ProcessRunner.RunAsync(Executable.Path, ["init", "--allow-machine-path"], repository.Root, environment);
        Assert.True(fromApphost.ExitCode == 0, fromApphost.ToString());
        Assert.Contains("warning:", fromApphost.Error);
        var before = repository.Snapshot();

        var dll = Path.ChangeExtension(Executable.Path, ".dll");
        var fromDotnet = await ProcessRunner.RunAsync("dotnet", [dll, "init", "--allow-machine-path"], repository.Root, environment);

        Assert.True(fromDotnet.ExitCode == 0, fromDotnet.ToString());
        Assert.DoesNotContain("update ", fromDotnet.Output);
        Assert.Equal(before, repository.Snapshot());
    }

    [Fact]
    public async Task The_written_hook_command_blocks_with_the_fix_where_mcpplan_is_missing_and_works_where_it_is_on_path()
    {
        using var repository = await TestRepository.CreateAsync();
        var bin = Directory.CreateDirectory(Path.Combine(repository.Root, ".scratch-bin")).FullName;
        File.CreateSymbolicLink(Path.Combine(bin, "mcpplan"), Executable.Path);
        var init = await ProcessRunner.RunAsync(Executable.Path, ["init"], repository.Root, new Dictionary<string, string?> { ["PATH"] = bin + ":" + PathWithoutMcpplan });
        Assert.True(init.ExitCode == 0, init.ToString());
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(repository.Root, ".claude", "settings.json")))!;
        var hook = settings["hooks"]!["PreToolUse"]![0]!["hooks"]![0]!["command"]!.GetValue<string>();
        Assert.StartsWith("mcpplan hook || ", hook);
        var call = new JsonObject
        {
            ["hook_event_name"] = "PreToolUse", ["tool_name"] = "Write", ["cwd"] = repository.Root,
            ["tool_input"] = new JsonObject { ["file_path"] = Path.Combine(repository.Root, "src", "a.cs"), ["content"] = "x" },
        }.ToJsonString();

        var installed = await ProcessRunner.RunAsync("/bin/sh", ["-c", hook], repository.Root,
            new Dictionary<string, string?> { ["PATH"] = bin + ":" + PathWithoutMcpplan, ["MCPPLAN_ROLE"] = "planner", ["CLAUDE_PROJECT_DIR"] = repository.Root }, call);
        var missing = await ProcessRunner.RunAsync("/bin/sh", ["-c", hook], repository.Root,
            new Dictionary<string, string?> { ["PATH"] = PathWithoutMcpplan, ["MCPPLAN_ROLE"] = "planner", ["CLAUDE_PROJECT_DIR"] = repository.Root }, call);

        Assert.True(installed.ExitCode == 0, installed.ToString());
        Assert.Contains("\"permissionDecision\":\"deny\"", installed.Output);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("exit 127", missing.Error);
        Assert.Contains("dotnet tool install -g McpPlanServer", missing.Error);
    }

    /// <summary>A PATH with dotnet but without mcpplan.</summary>
    private static string DotnetFolderPath()
    {
        var dotnet = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).FirstOrDefault(f => File.Exists(Path.Combine(f, "dotnet")));
        return dotnet is null ? PathWithoutMcpplan : dotnet + ":" + PathWithoutMcpplan;
    }
}
