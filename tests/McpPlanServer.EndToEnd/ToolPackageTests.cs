using System.Text.Json.Nodes;
using McpPlanServer.EndToEnd.Support;
using ModelContextProtocol.Client;

namespace McpPlanServer.EndToEnd;

/// <summary>
/// The package users install: packed into a local feed (the pointer package and the linux-x64 Native AOT package),
/// installed with `dotnet tool install`, then started as an MCP server, `mcpplan init` points .mcp.json at it, and a
/// whole loop runs on it.
/// </summary>
[Trait("Speed", "Long")]
public sealed class ToolPackageTests
{
    [Fact]
    public async Task The_tool_package_installs_from_a_local_feed_and_serves()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.X64,
            "The packed RID is linux-x64; other platforms pack their own RID (docs/install.md).");
        using var work = await TestRepository.CreateAsync();
        var feed = Path.Combine(work.Root, ".feed");
        var tools = Path.Combine(work.Root, ".tools");
        var project = Path.Combine(Executable.RepositoryRoot, "src", "McpPlanServer.Cli");

        // A configuration of its own, so packing never rewrites the Debug/Release binaries other tests are running.
        foreach (var arguments in new[] { new[] { "pack", project, "-o", feed }, ["pack", project, "-r", "linux-x64", "-o", feed] })
        {
            var pack = await ProcessRunner.RunAsync("dotnet", [.. arguments, "-c", "ToolPack", "-p:Optimize=true"], Executable.RepositoryRoot, timeout: TimeSpan.FromMinutes(20)); // a ceiling for a loaded machine (8 min was hit at load ~70), not a speed claim
            Assert.True(pack.ExitCode == 0, pack.ToString());
        }

        Assert.True(File.Exists(Path.Combine(feed, "McpPlanServer.0.1.0.nupkg")));
        using (var archive = System.IO.Compression.ZipFile.OpenRead(Path.Combine(feed, "McpPlanServer.0.1.0.nupkg")))
        {
            using var reader = new StreamReader(archive.GetEntry(".mcp/server.json")!.Open());
            var serverJson = JsonNode.Parse(await reader.ReadToEndAsync(TestContext.Current.CancellationToken))!;
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
        }), cancellationToken: TestContext.Current.CancellationToken))
        {
            Assert.Equal("mcpplan", client.ServerInfo?.Name);
            Assert.Contains(await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken), tool => tool.Name == "write_plan");
        }

        var init = await ProcessRunner.RunAsync(installed, ["init", "--repo", work.Root], work.Root, new Dictionary<string, string?> { ["PATH"] = tools + ":" + Environment.GetEnvironmentVariable("PATH") });
        Assert.True(init.ExitCode == 0, init.ToString());
        var mcpJson = JsonNode.Parse(File.ReadAllText(Path.Combine(work.Root, ".mcp.json")))!;
        Assert.Equal("mcpplan", mcpJson["mcpServers"]!["plans"]!["command"]!.GetValue<string>());

        work.Executable = installed;
        await AWholeLoopRunsOn(work);
    }

    /// <summary>
    /// The whole loop on the installed Native AOT binary (the one this test already built, so nothing is published twice):
    /// libgit2 under AOT is where bugs were found before (a diff crashed), so every git path runs here: commits with
    /// trailers, verification on an exported tree, and the diffs of the review.
    /// </summary>
    private static async Task AWholeLoopRunsOn(TestRepository work)
    {
        work.WriteFile(".claude/mcpplan.json", """{ "verify": { "command": "grep -q 'Hello' src/greeting.txt && echo verified", "timeoutSeconds": 60 } }""");
        await work.GitAsync("add", ".claude/mcpplan.json");
        await work.GitAsync("commit", "-q", "-m", "configure mcpplan");
        await using var planner = await ServerSession.StartAsync(work, "planner");
        await using var implementer = await ServerSession.StartAsync(work, "implementer");

        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        var approval = await work.ApproveAsync("greeting");
        Assert.True(approval.ExitCode == 0, approval.ToString());

        work.WriteFile("src/greeting.txt", "Hello, {name}!\n");
        var step1 = await implementer.CallOkAsync("commit_step", new { plan_id = "greeting", step = 1, message = "Add the greeting template" });
        work.WriteFile("tests/greeting_test.sh", "expect: Hello, Ada!\n");
        var step2 = await implementer.CallOkAsync("commit_step", new { plan_id = "greeting", step = 2, message = "Add the greeting test", paths = new[] { "tests/greeting_test.sh" } });
        Assert.Contains("Plan-Step: 2", await work.GitAsync("log", "-1", "--format=%B"));

        var handedIn = await implementer.CallOkAsync("submit_for_review", new { plan_id = "greeting" });
        Assert.Equal("in_review", handedIn.GetProperty("status").GetString());
        Assert.Equal(0, handedIn.GetProperty("verification").GetProperty("exit_code").GetInt32());

        var evidence = await planner.CallOkAsync("review_implementation", new { plan_id = "greeting" });
        var first = evidence.GetProperty("steps")[0].GetProperty("commits")[0];
        Assert.Equal(step1.GetProperty("commit").GetString(), first.GetProperty("sha").GetString());
        Assert.Contains("+Hello, {name}!", first.GetProperty("diff").GetString());
        Assert.Equal(step2.GetProperty("commit").GetString(), evidence.GetProperty("steps")[1].GetProperty("commits")[0].GetProperty("sha").GetString());
    }
}
