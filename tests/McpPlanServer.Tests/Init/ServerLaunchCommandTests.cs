using McpPlanServer.Clients.Init;

namespace McpPlanServer.Tests.Init;

public sealed class ServerLaunchCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mcpplan-launch-").FullName;

    private string Repo => Directory.CreateDirectory(Path.Join(_folder, "repo")).FullName;

    [Fact]
    public void A_local_tool_manifest_listing_mcpplan_wins_whichever_way_init_runs()
    {
        var repo = Repo;
        Directory.CreateDirectory(Path.Join(repo, ".config"));
        File.WriteAllText(Path.Join(repo, ".config", "dotnet-tools.json"),
            """{"version":1,"isRoot":true,"tools":{"mcpplanserver":{"version":"0.1.0","commands":["mcpplan"],"rollForward":false}}}""");

        var fromApphost = ServerLaunchCommand.Detect(repo, "/home/u/.nuget/packages/mcpplanserver/0.1.0/tools/mcpplan", null, "/usr/bin", "/x/");
        var fromDotnet = ServerLaunchCommand.Detect(repo, "/usr/bin/dotnet", "/opt/mcpplan/mcpplan.dll", "/usr/bin", "/opt/mcpplan/");

        Assert.Equal(ServerLaunchCommand.LocalTool.HookCommandLine, fromApphost.HookCommandLine);
        Assert.Equal(fromApphost.HookCommandLine, fromDotnet.HookCommandLine);
        Assert.StartsWith("dotnet tool run mcpplan hook || ", fromApphost.HookCommandLine);
        Assert.Contains("dotnet tool restore", fromApphost.HookCommandLine);
        Assert.False(fromApphost.IsMachineSpecific);
    }

    [Fact]
    public void Mcpplan_on_path_is_called_by_name_even_when_another_copy_runs_init()
    {
        var bin = Directory.CreateDirectory(Path.Join(_folder, "bin")).FullName;
        File.WriteAllText(Path.Join(bin, "mcpplan"), "");

        var launch = ServerLaunchCommand.Detect(Repo, "/src/bin/Release/net10.0/mcpplan", null, $"/nonexistent{Path.PathSeparator}{bin}", _folder);

        Assert.Equal(ServerLaunchCommand.OnPath, launch);
        Assert.False(launch.IsMachineSpecific);
        Assert.Contains("dotnet tool install -g McpPlanServer", launch.HookCommandLine);
    }

    [Fact]
    public void Without_tool_or_path_the_apphost_and_dotnet_give_the_same_machine_path()
    {
        var build = Directory.CreateDirectory(Path.Join(_folder, "build")).FullName;
        var apphost = Path.Join(build, "mcpplan");
        File.WriteAllText(apphost, "");
        File.WriteAllText(Path.Join(build, "mcpplan.dll"), "");

        var fromApphost = ServerLaunchCommand.Detect(Repo, apphost, apphost, "/usr/bin", build);
        var fromDotnet = ServerLaunchCommand.Detect(Repo, "/usr/share/dotnet/dotnet", Path.Join(build, "mcpplan.dll"), "/usr/bin", build);
        var fromDotnetExec = ServerLaunchCommand.Detect(Repo, "/usr/bin/dotnet", "exec", "/usr/bin", build);

        Assert.Equal(new ServerLaunchCommand(apphost, []), fromApphost);
        Assert.Equal(fromApphost.HookCommandLine, fromDotnet.HookCommandLine);
        Assert.Equal(fromApphost.HookCommandLine, fromDotnetExec.HookCommandLine);
        Assert.True(fromApphost.IsMachineSpecific);
    }

    [Fact]
    public void A_dll_without_an_apphost_runs_through_dotnet()
    {
        var launch = ServerLaunchCommand.Detect(Repo, "/usr/share/dotnet/dotnet", "/opt/mcpplan/mcpplan.dll", "/usr/bin", "/opt/mcpplan/");

        Assert.Equal("dotnet", launch.Command);
        Assert.Equal(["/opt/mcpplan/mcpplan.dll"], launch.LeadingArguments);
        Assert.True(launch.IsMachineSpecific);
    }

    [Fact]
    public void Paths_with_spaces_are_quoted_for_the_shell()
    {
        Assert.Equal("'/a b/it'\\''s/mcpplan'", new ServerLaunchCommand("/a b/it's/mcpplan", []).Invocation);
        Assert.StartsWith("'/a b/it'\\''s/mcpplan' hook || ", new ServerLaunchCommand("/a b/it's/mcpplan", []).HookCommandLine);
    }

    public static TheoryData<string, int, int, string> HookScripts => new()
    {
        // The fake mcpplan's exit code and what the written command must exit with (Claude Code blocks only on 2).
        { "printf '{\"deny\":1}'; exit 0", 0, 0, "" },
        { "echo blocked >&2; exit 2", 2, 2, "" },
        { "echo crashed >&2; exit 1", 1, 2, "could not run (exit 1)" },
        { "exit 134", 134, 2, "could not run (exit 134)" },
    };

    [Theory]
    [MemberData(nameof(HookScripts))]
    public async Task The_written_hook_command_turns_every_failure_into_exit_2(string script, int _, int expected, string message)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Claude Code runs hooks through a POSIX shell (Git Bash on Windows); this test uses /bin/sh
        }

        var bin = Directory.CreateDirectory(Path.Join(_folder, "bin")).FullName;
        var fake = Path.Join(bin, "mcpplan");
        await File.WriteAllTextAsync(fake, "#!/bin/sh\ncat >/dev/null\n" + script + "\n", TestContext.Current.CancellationToken);
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var (exit, stdout, stderr) = await RunShellAsync(ServerLaunchCommand.OnPath.HookCommandLine, $"{bin}:/usr/bin:/bin");

        Assert.Equal(expected, exit);
        Assert.Contains(message, stderr);
        if (expected == 0)
        {
            Assert.Equal("{\"deny\":1}", stdout); // the decision on stdout passes through untouched
        }
    }

    [Theory]
    [InlineData(false, "dotnet tool install -g McpPlanServer")]
    [InlineData(true, "dotnet tool restore")]
    public async Task The_written_hook_command_blocks_where_mcpplan_is_missing(bool localTool, string hint)
    {
        var launch = localTool ? ServerLaunchCommand.LocalTool : ServerLaunchCommand.OnPath;

        var (exit, _, stderr) = await RunShellAsync(launch.HookCommandLine, Path.Join(_folder, "empty-path"));

        Assert.Equal(2, exit);
        Assert.Contains("exit 127", stderr);
        Assert.Contains(hint, stderr);
    }

    /// <summary>Runs a hook command line the way Claude Code does: through the shell, with the call on stdin.</summary>
    private async Task<(int Exit, string Stdout, string Stderr)> RunShellAsync(string commandLine, string path)
    {
        var start = new System.Diagnostics.ProcessStartInfo("/bin/sh") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(commandLine);
        start.Environment["PATH"] = path;
        start.WorkingDirectory = _folder;
        using var process = System.Diagnostics.Process.Start(start)!;
        try
        {
            await process.StandardInput.WriteAsync("""{"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"ls"},"cwd":"/"}""");
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The shell found no program to read the call and exited already; its exit code is what counts.
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
