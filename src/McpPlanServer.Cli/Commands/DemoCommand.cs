using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlanServer.Git;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpPlanServer.Cli.Commands;

/// <summary>
/// <c>mcpplan demo</c>: the whole workflow on a scratch repository, with real processes — a planner and an
/// implementer server driven over stdio by an MCP client, and the owner's CLI — printing each step as it happens.
/// </summary>
public sealed class DemoCommand(TextWriter output)
{
    private int number;

    /// <param name="keep">Keep the scratch repository afterwards.</param>
    public async Task<int> RunAsync(bool keep)
    {
        var folder = Path.Combine(Path.GetTempPath(), "mcpplan-demo-" + Guid.NewGuid().ToString("N")[..8]);
        ScratchRepository.Create(folder, new Dictionary<string, string>
        {
            ["README.md"] = "# Demo project\n",
            [".claude/mcpplan.json"] = "{\n  \"verify\": { \"command\": \"sh tests/greeting_test.sh\", \"timeoutSeconds\": 60 }\n}\n",
        });
        output.WriteLine($"McpPlanServer demo: scratch repository {folder}");
        output.WriteLine("A planner and an implementer server run as separate processes; the owner acts through the CLI.");
        output.WriteLine();
        try
        {
            await using var planner = await StartAsync(folder, "planner");
            await using var implementer = await StartAsync(folder, "implementer");
            await RunWorkflowAsync(folder, planner, implementer);
        }
        finally
        {
            if (!keep)
            {
                TryDelete(folder);
            }
        }

        output.WriteLine();
        if (keep)
        {
            output.WriteLine($"The repository is kept at {folder}. Look at what happened there:");
            output.WriteLine($"  cd {folder}");
            output.WriteLine("  git log --format='%h %s%n%(trailers)'   # each step commit with its Plan-Id and Plan-Step trailers");
            output.WriteLine($"  mcpplan show {DemoPlan.Id}                       # the plan, its approval, steps and commits, blocker, reviews, timeline");
            output.WriteLine($"  mcpplan log {DemoPlan.Id}                        # the journal: every transition and refusal, with role and reason");
        }
        else
        {
            output.WriteLine("Done; the scratch repository is removed. Run `mcpplan demo --keep` to keep it, then look at it with");
            output.WriteLine($"git log (the Plan-Id and Plan-Step trailers), mcpplan show {DemoPlan.Id} and mcpplan log {DemoPlan.Id} in that folder.");
        }

        return CliApplication.Done;
    }

    private async Task RunWorkflowAsync(string folder, McpClient planner, McpClient implementer)
    {
        var written = await CallAsync(planner, "planner", "write_plan", new JsonObject { ["plan_id"] = DemoPlan.Id, ["text"] = DemoPlan.Text });
        Print("planner", "write_plan greeting", $"{written.GetProperty("status").GetString()}, text revision {written.GetProperty("text_revision").GetInt32()}, {written.GetProperty("warnings").GetArrayLength()} lint warnings");
        var document = Core.Plans.PlanParser.Parse(DemoPlan.Text);
        Detail($"'{document.Title}': {document.Steps.Count} steps");
        foreach (var step in document.Steps)
        {
            Detail($"  {step.Number}. {step.Title}");
        }

        var refused = await RefusedAsync(implementer, "write_plan", new JsonObject { ["plan_id"] = "sneaky", ["text"] = DemoPlan.Text });
        Print("implementer", "write_plan (not its tool)", "refused: " + refused);

        var request = await CallAsync(planner, "planner", "request_approval", new JsonObject { ["plan_id"] = DemoPlan.Id });
        Print("planner", "request_approval", $"the person approves with `{request.GetProperty("approve_command").GetString()}`");

        var sha = request.GetProperty("sha256").GetString()![..16];
        // approve prints the plan, its lint and the checklist first; the demo shows the decision line.
        var approved = await OwnerOutputAsync(folder, "approve", DemoPlan.Id, "--sha", sha, "--by", "Demo Person");
        Print("owner", $"mcpplan approve greeting --sha {sha[..8]}", FirstLine(approved[approved.IndexOf("Approved '", StringComparison.Ordinal)..]));

        var active = await CallAsync(implementer, "implementer", "read_active_plan", new JsonObject());
        Print("implementer", "read_active_plan", $"'{active.GetProperty("title").GetString()}', next step {active.GetProperty("next_step").GetProperty("number").GetInt32()}: {active.GetProperty("next_step").GetProperty("title").GetString()}");

        const string question = "Should the template end with a newline?";
        var blocker = await CallAsync(implementer, "implementer", "report_blocker", new JsonObject { ["plan_id"] = DemoPlan.Id, ["step"] = 1, ["question"] = question });
        var blockerId = blocker.GetProperty("blocker_id").GetInt32();
        Print("implementer", "report_blocker", $"blocker #{blockerId}, plan is {blocker.GetProperty("status").GetString()}");
        Detail($"Q: {question}");

        // The implementer waits (await_answer blocks until the planner answers); the planner answers meanwhile.
        var waiting = CallAsync(implementer, "implementer", "await_answer", new JsonObject { ["plan_id"] = DemoPlan.Id, ["blocker_id"] = blockerId, ["timeout_seconds"] = 60 });
        var answer = await CallAsync(planner, "planner", "answer_blocker", new JsonObject { ["plan_id"] = DemoPlan.Id, ["blocker_id"] = blockerId, ["answer"] = "Yes, one trailing newline." });
        Print("planner", "answer_blocker", $"plan is {answer.GetProperty("status").GetString()} again");
        var heard = await waiting;
        Print("implementer", "await_answer", $"{heard.GetProperty("outcome").GetString()}");
        Detail($"A: {heard.GetProperty("answer").GetString()}");

        await File.WriteAllTextAsync(Prepared(folder, "src/greeting.txt"), "Hello, {name}!\n");
        var step1 = await CallAsync(implementer, "implementer", "commit_step", new JsonObject { ["plan_id"] = DemoPlan.Id, ["step"] = 1, ["message"] = "Add the greeting template" });
        Print("implementer", "commit_step 1", $"{Short(step1.GetProperty("commit"))} with trailers Plan-Id: greeting, Plan-Step: 1");

        var outOfOrder = await RefusedAsync(implementer, "submit_for_review", new JsonObject { ["plan_id"] = DemoPlan.Id });
        Print("implementer", "submit_for_review (too early)", "refused: " + FirstLine(outOfOrder));

        await File.WriteAllTextAsync(Prepared(folder, "tests/greeting_test.sh"), DemoPlan.Test.ReplaceLineEndings("\n") + "\n");
        var step2 = await CallAsync(implementer, "implementer", "commit_step", new JsonObject { ["plan_id"] = DemoPlan.Id, ["step"] = 2, ["message"] = "Add the greeting test" });
        Print("implementer", "commit_step 2", Short(step2.GetProperty("commit")));

        var handIn = await CallAsync(implementer, "implementer", "submit_for_review", new JsonObject { ["plan_id"] = DemoPlan.Id });
        var verification = handIn.GetProperty("verification");
        Print("implementer", "submit_for_review", $"{handIn.GetProperty("status").GetString()}; verification `{verification.GetProperty("command").GetString()}` exit {verification.GetProperty("exit_code").GetInt32()}");

        var evidence = await CallAsync(planner, "planner", "review_implementation", new JsonObject { ["plan_id"] = DemoPlan.Id });
        Print("planner", "review_implementation", $"{evidence.GetProperty("steps").GetArrayLength()} steps with commits and diffs, {evidence.GetProperty("commits_outside_commit_step").GetArrayLength()} commits outside commit_step");

        var firstReview = await CallAsync(planner, "planner", "submit_review", new JsonObject
        {
            ["plan_id"] = DemoPlan.Id,
            ["scores"] = new JsonObject { ["architecture"] = 85, ["code_quality"] = 80, ["testing"] = 70, ["performance"] = 90, ["security"] = 90 },
            ["findings"] = new JsonArray(new JsonObject { ["severity"] = "major", ["location"] = "tests/greeting_test.sh:1", ["message"] = "The test is not executable; make it runnable directly." }),
            ["summary"] = "Correct greeting, but the test script should be executable.",
            ["criteria"] = Criteria(),
        });
        var finding = firstReview.GetProperty("findings")[0];
        Print("planner", "submit_review", $"{firstReview.GetProperty("weighted_total").GetDouble():0.0} < 90 -> {firstReview.GetProperty("verdict").GetString()}, finding {finding.GetProperty("id").GetString()}");
        Detail($"{finding.GetProperty("id").GetString()} ({finding.GetProperty("severity").GetString()}, {finding.GetProperty("location").GetString()}): {finding.GetProperty("message").GetString()}");

        var testPath = Path.Combine(folder, "tests", "greeting_test.sh");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(testPath, File.GetUnixFileMode(testPath) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        await File.AppendAllTextAsync(testPath, "# executable since review 1\n");
        var addressed = await CallAsync(implementer, "implementer", "commit_step", new JsonObject { ["plan_id"] = DemoPlan.Id, ["step"] = 2, ["message"] = "Make the test executable", ["paths"] = new JsonArray("tests/greeting_test.sh"), ["addresses_findings"] = new JsonArray("R1-F1") });
        Print("implementer", "commit_step 2 (addresses R1-F1)", Short(addressed.GetProperty("commit")));
        await CallAsync(implementer, "implementer", "submit_for_review", new JsonObject { ["plan_id"] = DemoPlan.Id });
        Print("implementer", "submit_for_review", "handed in again, verification passed");

        var secondReview = await CallAsync(planner, "planner", "submit_review", new JsonObject
        {
            ["plan_id"] = DemoPlan.Id,
            ["scores"] = new JsonObject { ["architecture"] = 95, ["code_quality"] = 92, ["testing"] = 95, ["performance"] = 95, ["security"] = 95 },
            ["summary"] = "All success criteria met; the finding is addressed.",
            ["criteria"] = Criteria(),
        });
        Print("planner", "submit_review", $"{secondReview.GetProperty("weighted_total").GetDouble():0.0} >= 90, criteria {secondReview.GetProperty("criteria_met").GetString()} -> {secondReview.GetProperty("verdict").GetString()}");

        Print("owner", "mcpplan complete greeting", await OwnerAsync(folder, "complete", DemoPlan.Id));

        // The archived plan ends with the report, in the shape of the original workflow's verification report.
        var archived = await File.ReadAllTextAsync(Path.Combine(folder, ".claude", "plans", "Completed", DemoPlan.Id + ".md"));
        output.WriteLine();
        output.WriteLine($"$ sed -n '/^## Verification report/,$p' .claude/plans/Completed/{DemoPlan.Id}.md");
        output.Write(archived[archived.IndexOf("## Verification report", StringComparison.Ordinal)..]);

        output.WriteLine();
        output.WriteLine("$ mcpplan status");
        output.Write(await OwnerOutputAsync(folder, "status"));
        output.WriteLine();
        output.WriteLine("$ git log --format='%h %s | %(trailers:key=Plan-Id,valueonly,separator=) %(trailers:key=Plan-Step,valueonly,separator=)'");
        output.Write(GitLog.Format(folder));
    }

    /// <summary>The reviewer's answer for each success criterion (C1, C2) and security-checklist item (S1), with evidence.</summary>
    private static JsonArray Criteria() => new(
        new JsonObject { ["item"] = "C1", ["met"] = true, ["evidence"] = "`sh tests/greeting_test.sh` printed: greeting ok" },
        new JsonObject { ["item"] = "C2", ["met"] = true, ["evidence"] = "src/greeting.txt:1" },
        new JsonObject { ["item"] = "S1", ["met"] = true, ["evidence"] = "tests/greeting_test.sh:3 only reads src/greeting.txt" });

    private static async Task<McpClient> StartAsync(string folder, string role)
    {
        var (command, prefix) = SelfProcess.Current();
        return await McpClient.CreateAsync(new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = $"mcpplan-{role}",
            Command = command,
            Arguments = [.. prefix, "serve", "--role", role, "--repo", folder],
            WorkingDirectory = folder,
        }));
    }

    private static async Task<JsonElement> CallAsync(McpClient client, string role, string tool, JsonObject arguments)
    {
        var result = await client.CallToolAsync(tool, ToArguments(arguments));
        if (result.IsError == true || result.StructuredContent is not { } structured)
        {
            throw new InvalidOperationException($"The demo's {role} call {tool} failed: {Text(result)}");
        }

        return structured;
    }

    private static async Task<string> RefusedAsync(McpClient client, string tool, JsonObject arguments)
    {
        try
        {
            var result = await client.CallToolAsync(tool, ToArguments(arguments));
            return result.IsError == true ? Text(result) : throw new InvalidOperationException($"{tool} should have been refused.");
        }
        catch (McpProtocolException refusal)
        {
            return refusal.Message;
        }
    }

    private static async Task<string> OwnerAsync(string folder, params string[] arguments) =>
        FirstLine(await OwnerOutputAsync(folder, arguments));

    /// <summary>The owner's CLI as the person runs it: outside this process's ancestry, with a clean environment.</summary>
    private static async Task<string> OwnerOutputAsync(string folder, params string[] arguments)
    {
        var (command, prefix) = SelfProcess.Current();
        var (exitCode, text, error) = await PersonProcess.RunAsync(command, [.. prefix, .. arguments, "--repo", folder], folder);
        return exitCode == 0 ? text : throw new InvalidOperationException($"mcpplan {string.Join(' ', arguments)} failed: {error}");
    }

    /// <summary>A line under the last step: what was said or found, so the reader sees it, not only its name.</summary>
    private void Detail(string text) => output.WriteLine(new string(' ', 52) + text);

    private void Print(string actor, string action, string result)
    {
        number++;
        output.WriteLine($"{number,3}. {actor,-11} {action,-34} {result}");
    }

    /// <summary>Arguments as JsonElements: serializing them needs no reflection, so the demo runs under Native AOT.</summary>
    private static Dictionary<string, object?> ToArguments(JsonObject arguments)
    {
        using var document = JsonDocument.Parse(arguments.ToJsonString());
        return document.RootElement.EnumerateObject().ToDictionary(property => property.Name, property => (object?)property.Value.Clone(), StringComparer.Ordinal);
    }

    private static string Prepared(string folder, string relativePath)
    {
        var path = Path.Combine(folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    private static string Text(CallToolResult result) => string.Join(" ", result.Content.OfType<TextContentBlock>().Select(block => block.Text));

    private static string FirstLine(string text)
    {
        var line = text.Split('\n')[0].Trim();
        return line.Length > 110 ? line[..110] + "…" : line;
    }

    private static string Short(JsonElement sha) => sha.GetString()![..12];

    private static void TryDelete(string folder)
    {
        try
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                File.SetAttributes(file, FileAttributes.Normal);
            }

            Directory.Delete(folder, recursive: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
        }
    }
}
