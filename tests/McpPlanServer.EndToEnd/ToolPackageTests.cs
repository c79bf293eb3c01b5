using System.Text.Json.Nodes;
using McpPlanServer.EndToEnd.Support;
using ModelContextProtocol.Client;

namespace McpPlanServer.EndToEnd;

/// <summary>
/// The package users install: packed into a local feed (the pointer package and the linux-x64 Native AOT package),
/// installed with `dotnet tool install`, then started as an MCP server, and `mcpplan init` points .mcp.json at it.
/// </summary>
public sealed class ToolPackageTests
{
    [SkippableFact]
    public async Task The_tool_package_installs_from_a_local_feed_and_serves()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.X64,
            "The packed RID is linux-x64; other platforms pack their own RID (docs/install.md).");
        using var work = await TestRepository.CreateAsync();
        var feed = Path.Combine(work.Root, ".feed");
        var tools = Path.Combine(work.Root, ".tools");
        var project = Path.Combine(Executable.RepositoryRoot, "src", "McpPlanServer.Cli");

        // A configuration of its own, so packing never rewrites the Debug/Release binaries other tests are running.
        foreach (var arguments in new[] { new[] { "pack", project, "-o", feed }, ["pack", project, "-r", "linux-x64", "-o", feed] })
        {
            var pack = await ProcessRunner.RunAsync("dotnet", [.. arguments, "-c", "ToolPack", "-p:Optimize=true"], Executable.RepositoryRoot, timeout: TimeSpan.FromMinutes(8));
            Assert.True(pack.ExitCode == 0, pack.ToString());
        }

        Assert.True(File.Exists(Path.Combine(feed, "McpPlanServer.0.1.0.nupkg")));
        using (var archive = System.IO.Compression.ZipFile.OpenRead(Path.Combine(feed, "McpPlanServer.0.1.0.nupkg")))
        {
            using var reader = new StreamReader(archive.GetEntry(".mcp/server.json")!.Open());
            var serverJson = JsonNode.Parse(await reader.ReadToEndAsync())!;
            Assert.Equal("0.1.0", serverJson["version"]!.GetValue<string>());
            Assert.Equal("McpPlanServer", serverJson["packages"]![0]!["identifier"]!.GetValue<string>());
            Assert.Contains("McpServer", new StreamReader(archive.Entries.Single(entry => entry.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open()).ReadToEnd());
        }

        var install = await ProcessRunner.RunAsync("dotnet", ["tool", "install", "McpPlanServer", "--tool-path", tools, "--add-source", feed], work.Root, timeout: TimeSpan.FromMinutes(3));
        Assert.True(install.ExitCode == 0, install.ToString());
        var installed = Path.Combine(tools, "mcpplan");

        var version = await ProcessRunner.RunAsync(installed, ["--version"], work.Root);
        Assert.Equal("0.1.0", version.Output.Trim());

        await using (var client = await McpClient.CreateAsync(new StdioClientTransport(new StdioClientTransportOptions
        {
            Command = installed,
            Arguments = ["serve", "--role", "planner", "--repo", work.Root],
            WorkingDirectory = work.Root,
        })))
        {
            Assert.Equal("mcpplan", client.ServerInfo?.Name);
            Assert.Contains(await client.ListToolsAsync(), tool => tool.Name == "write_plan");
        }

        var init = await ProcessRunner.RunAsync(installed, ["init", "--repo", work.Root], work.Root, new Dictionary<string, string?> { ["PATH"] = tools + ":" + Environment.GetEnvironmentVariable("PATH") });
        Assert.True(init.ExitCode == 0, init.ToString());
        var mcpJson = JsonNode.Parse(File.ReadAllText(Path.Combine(work.Root, ".mcp.json")))!;
        Assert.Equal("mcpplan", mcpJson["mcpServers"]!["plans"]!["command"]!.GetValue<string>());
    }
}
