using System.Text.Json.Nodes;
using McpPlanServer.EndToEnd.Support;

namespace McpPlanServer.EndToEnd;

/// <summary>
/// Issue 13: an implementer's turn end to end in the real Gemini CLI (pinned in tests/gemini-cli) against a scripted model
/// on loopback (<see cref="ScriptedModel"/> speaking the Gemini API through <c>GOOGLE_GEMINI_BASE_URL</c>), in a scratch
/// HOME that trusts the repository, with no network beyond loopback. The repository is set up by
/// <c>mcpplan init --client gemini</c>, and the session started as init says (<c>MCPPLAN_ROLE=implementer gemini</c>): it
/// reads its plan through the server, tries to rewrite the plan with Gemini's own write_file and is stopped by the hook
/// init registered, writes the step's file and commits the step. Skipped only when npm cannot be reached.
/// </summary>
[Trait("Speed", "Long")]
public sealed class GeminiImplementerTurnTests
{
    [Fact]
    public async Task An_implementer_turn_in_Gemini_CLI_reads_its_plan_is_blocked_on_a_plan_edit_and_commits_a_step()
    {
        var install = await NodePackages.InstallAsync("gemini-cli");
        Assert.SkipWhen(install.RegistryUnreachable, $"Gemini CLI not available: {install.Error}");
        Assert.True(install.Error is null, install.Error);

        using var repository = await TestRepository.CreateAsync();
        var init = await ProcessRunner.RunAsync(Executable.Path, ["init", "--client", "gemini", "--allow-machine-path", "--repo", repository.Root], repository.Root);
        Assert.True(init.ExitCode == 0, init.ToString());
        await using (var planner = await ServerSession.StartAsync(repository, "planner"))
        {
            await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        }

        var approve = await repository.ApproveAsync("greeting", "--by", "Ada");
        Assert.True(approve.ExitCode == 0, approve.ToString());
        var planPath = Path.Combine(repository.PlansRoot, "Active", "greeting.md");
        var planBefore = File.ReadAllText(planPath);

        using var model = new ScriptedModel(
        [
            new ScriptedToolCall("read_active_plan", []),
            new ScriptedToolCall("write_file", new JsonObject { ["file_path"] = planPath, ["content"] = "# Plan: Greeting\n\nAll steps are done.\n" }),
            new ScriptedToolCall("write_file", new JsonObject { ["file_path"] = Path.Combine(repository.Root, "src", "greeting.txt"), ["content"] = "Hello, {name}!\n" }),
            new ScriptedToolCall("commit_step", new JsonObject { ["plan_id"] = "greeting", ["step"] = 1, ["message"] = "Add the greeting template" }),
        ]);
        var session = await RunGeminiAsync(Path.Combine(install.Folder, "node_modules", ".bin", "gemini"), repository, model);

        Assert.True(session.ExitCode == 0, session.ToString());
        var results = model.Results;
        Assert.True(results.Count == 4, $"the script stopped after {results.Count} of 4 calls; not offered: {model.Unoffered}; results: {string.Join(" | ", results)}; {session}");

        Assert.False(results[0].IsError, results[0].Text);
        Assert.Contains("greeting", results[0].Text);

        // The hook (BeforeTool, as init registered it) denied the plan edit; Gemini told the model it failed, and the plan is as approved.
        Assert.True(results[1].IsError, $"the plan edit did not reach the model as a tool error: {results[1]}");
        Assert.Contains("mcpplan", results[1].Text);
        Assert.Equal(planBefore, File.ReadAllText(planPath));

        Assert.False(results[2].IsError, results[2].Text);
        Assert.False(results[3].IsError, results[3].Text);
        var commit = await repository.GitAsync("log", "-1", "--format=%H%n%B", "main");
        Assert.Contains("Add the greeting template", commit);
        Assert.Contains("Plan-Id: greeting", commit);
        Assert.Contains("Plan-Step: 1", commit);
        Assert.Contains(commit.Split('\n')[0][..12], results[3].Text);
        Assert.Equal("Hello, {name}!\n", await repository.GitAsync("show", "main:src/greeting.txt"));
    }

    /// <summary>
    /// <c>MCPPLAN_ROLE=implementer gemini -p … --yolo</c> in the repository: a HOME that trusts the folder and selects API-key
    /// auth, the model at the scripted loopback address, and proxies at a closed port so nothing else is reachable.
    /// <c>--yolo</c> approves tool calls without a person (a headless turn has nobody to ask); the hook still runs before each.
    /// </summary>
    private static async Task<ProcessResult> RunGeminiAsync(string gemini, TestRepository repository, ScriptedModel model)
    {
        var home = Path.Combine(repository.Root, ".scratch-home");
        Directory.CreateDirectory(Path.Combine(home, ".gemini"));
        File.WriteAllText(Path.Combine(home, ".gemini", "trustedFolders.json"), new JsonObject { [repository.Root] = "TRUST_FOLDER" }.ToJsonString());
        var user = new JsonObject
        {
            ["security"] = new JsonObject { ["auth"] = new JsonObject { ["selectedType"] = "gemini-api-key" } },
            ["privacy"] = new JsonObject { ["usageStatisticsEnabled"] = false },
        };
        File.WriteAllText(Path.Combine(home, ".gemini", "settings.json"), user.ToJsonString());

        // As in OtherClientsTests: a cold .NET start on a loaded machine can take longer than Gemini's default 5 s to connect.
        var settingsPath = Path.Combine(repository.Root, ".gemini", "settings.json");
        var settings = JsonNode.Parse(File.ReadAllText(settingsPath))!;
        settings["mcpServers"]!["plans"]!["timeout"] = 120_000;
        File.WriteAllText(settingsPath, settings.ToJsonString());

        return await ProcessRunner.RunAsync(
            gemini,
            ["-p", "Implement the active plan's next step.", "--yolo", "-m", "gemini-2.5-flash"],
            repository.Root,
            new Dictionary<string, string?>
            {
                ["HOME"] = home,
                ["MCPPLAN_ROLE"] = "implementer",
                ["GOOGLE_GEMINI_BASE_URL"] = model.BaseUrl,
                ["GEMINI_API_KEY"] = "scripted-model",
                ["GOOGLE_API_KEY"] = null,
                ["GOOGLE_GENAI_USE_VERTEXAI"] = null,
                ["GOOGLE_GENAI_USE_GCA"] = null,
                ["GEMINI_CLI_HOME"] = null,
                ["HTTPS_PROXY"] = "http://127.0.0.1:9",
                ["HTTP_PROXY"] = "http://127.0.0.1:9",
                ["NO_PROXY"] = "127.0.0.1,localhost",
                ["CI"] = "true",
            },
            standardInput: "",
            timeout: TimeSpan.FromSeconds(600));
    }
}
