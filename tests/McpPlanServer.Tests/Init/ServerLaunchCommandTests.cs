using McpPlanServer.Cli.Init;

namespace McpPlanServer.Tests.Init;

public sealed class ServerLaunchCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mcpplan-launch-").FullName;

    [Fact]
    public void Dotnet_running_the_dll_becomes_dotnet_with_the_dll_path()
    {
        var launch = ServerLaunchCommand.Detect("/usr/share/dotnet/dotnet", "/opt/mcpplan/mcpplan.dll", "/usr/bin", "/opt/mcpplan/");

        Assert.Equal(new ServerLaunchCommand("dotnet", ["/opt/mcpplan/mcpplan.dll"]).HookCommandLine, launch.HookCommandLine);
        Assert.Equal("dotnet /opt/mcpplan/mcpplan.dll hook", launch.HookCommandLine);
    }

    [Fact]
    public void Dotnet_without_a_dll_argument_uses_the_dll_beside_the_app()
    {
        var launch = ServerLaunchCommand.Detect("/usr/bin/dotnet", "exec", null, "/opt/app");

        Assert.Equal(["/opt/app/mcpplan.dll"], launch.LeadingArguments);
    }

    [Fact]
    public void An_executable_found_first_on_path_is_called_by_name()
    {
        var executable = Path.Join(_folder, "mcpplan");
        File.WriteAllText(executable, "");

        var launch = ServerLaunchCommand.Detect(executable, executable, $"/nonexistent{Path.PathSeparator}{_folder}", _folder);

        Assert.Equal("mcpplan", launch.Command);
        Assert.Empty(launch.LeadingArguments);
    }

    [Fact]
    public void An_executable_not_on_path_is_called_by_its_absolute_path()
    {
        var executable = Path.Join(_folder, "build", "mcpplan");

        var launch = ServerLaunchCommand.Detect(executable, executable, "/usr/bin", _folder);

        Assert.Equal(executable, launch.Command);
    }

    [Fact]
    public void Paths_with_spaces_are_quoted_for_the_shell()
    {
        Assert.Equal("'/a b/it'\\''s/mcpplan' hook", new ServerLaunchCommand("/a b/it's/mcpplan", []).HookCommandLine);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
