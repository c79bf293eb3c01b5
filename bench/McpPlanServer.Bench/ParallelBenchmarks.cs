using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using McpPlanServer.Cli.Commands;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;

namespace McpPlanServer.Bench;

/// <summary>
/// Issue 11's figures: <c>list_plans</c> over 10,000 approved plans with readiness (each waits on the one before it) and
/// overlap (every 10th shares its files with the plan before it), and <c>mcpplan integrate</c> on a 20,000-file nested repository
/// against <c>git merge --no-ff</c> of the same commit onto the same tip. Each row carries the 1-minute load average.
/// </summary>
public sealed class ParallelBenchmarks(string exe)
{
    private static JsonArray CriteriaMet() => new(
        new JsonObject { ["item"] = "C1", ["met"] = true, ["evidence"] = "tests/x_test.sh:1" },
        new JsonObject { ["item"] = "C2", ["met"] = true, ["evidence"] = "src/x.txt:1" },
        new JsonObject { ["item"] = "S1", ["met"] = true, ["evidence"] = "the test reads one file" });

    public async Task<IReadOnlyList<(string Measure, string Value, string Target)>> RunAsync(int plans, int files, int integrations)
    {
        var rows = new List<(string Measure, string Value, string Target)>();
        rows.AddRange(await ListingAsync(plans));
        rows.AddRange(await IntegrateAsync(files, integrations));
        return rows;
    }

    /// <summary>The demo plan under another name: plan-N writes src/gN.txt and tests/gN_test.sh.</summary>
    private static string PlanText(int number, int filesOf, string? dependsOn) =>
        DemoPlan.Text.Replace("greeting", $"g{filesOf}", StringComparison.Ordinal)
            .Replace("# Plan: Greeting module", $"# Plan: Module {number}", StringComparison.Ordinal)
            .Replace("**Risk level**: Low", dependsOn is null ? "**Risk level**: Low" : $"**Risk level**: Low\n**Depends on**: {dependsOn}", StringComparison.Ordinal);

    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    /// <summary>
    /// plan-0 goes through the workflow (written, approved); the others are its text and record under new ids, each
    /// approved for its own text, waiting on the plan before it, every 10th listing the files of the one before it.
    /// </summary>
    public static void AddActivePlans(Workspace workspace, int count)
    {
        var config = new PlanServerConfig();
        var store = new FilePlanStore(workspace.Root, config);
        var workflow = new PlanWorkflow(store, config, null, null, TimeProvider.System);
        var firstText = PlanText(0, 0, null);
        workflow.WritePlan(Actor.Planner, "plan-0", firstText, null);
        workflow.Approve("plan-0", "Bench Person", ApprovalChannels.Cli, null, workflow.ReadPlan("plan-0").TextSha256);
        var active = Path.Combine(store.RootPath, "Active");
        var records = Path.Combine(store.RootPath, ".records");
        var template = File.ReadAllText(Path.Combine(records, "plan-0.json"));
        var firstSha = McpPlanServer.Core.Plans.PlanText.Sha256Hex(firstText);
        for (var i = 1; i < count; i++)
        {
            var id = $"plan-{i}";
            var text = PlanText(i, i % 10 == 0 ? i - 1 : i, $"plan-{i - 1}");
            File.WriteAllText(Path.Combine(active, id + ".md"), text);
            var record = JsonNode.Parse(template.Replace(firstSha, McpPlanServer.Core.Plans.PlanText.Sha256Hex(text), StringComparison.Ordinal))!;
            record["id"] = id;
            record["dependsOn"] = new JsonArray($"plan-{i - 1}");
            File.WriteAllText(Path.Combine(records, id + ".json"), record.ToJsonString());
        }
    }

    /// <summary>The listing part alone (group <c>parallel-listing</c>), to iterate on it without building the 20,000-file repository.</summary>
    public Task<IReadOnlyList<(string, string, string)>> ListingOnlyAsync(int plans) => ListingAsync(plans);

    private async Task<IReadOnlyList<(string, string, string)>> ListingAsync(int count)
    {
        using var workspace = Workspace.Create($"parallel{count}");
        AddActivePlans(workspace, count);
        await using var server = RpcProcess.Start(exe, workspace.Root, "planner");
        await server.InitializeAsync();
        var load = LoadAverage();
        var cold = Stopwatch.StartNew();
        var first = await server.CallToolAsync("list_plans", new JsonObject());
        cold.Stop();
        Require(first.Contains("waiting on", StringComparison.Ordinal) && first.Contains("shares src/", StringComparison.Ordinal), "list_plans shows readiness and overlap", first);

        var warm = new List<double>();
        for (var i = 0; i < 42; i++)
        {
            var watch = Stopwatch.StartNew();
            var response = await server.CallToolAsync("list_plans", new JsonObject { ["state"] = "active", ["offset"] = i * 100 % count });
            watch.Stop();
            Require(!response.Contains("\"isError\":true", StringComparison.Ordinal), "list_plans", response);
            if (i >= 2)
            {
                warm.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        var stats = new Stats(warm);
        var plans = count.ToString("N0", CultureInfo.InvariantCulture);
        return
        [
            ($"list_plans, {plans} approved plans with readiness and overlap, first call (parses every plan's files): load {load}", Stats.Ms(cold.Elapsed.TotalMilliseconds), string.Empty),
            ($"list_plans, {plans} approved plans with readiness and overlap, pages of 100: p50 / p99 (load {LoadAverage()})", $"{Stats.Ms(stats.Median)} / {Stats.Ms(stats.P99)}", "≤ 50 ms"),
            ($"peak RSS of the server after the {plans}-plan listing", $"{server.PeakRssMegabytes():0.0} MB", string.Empty),
        ];
    }

    /// <summary>
    /// <paramref name="rounds"/> verified plans, each built on its own branch in a linked worktree while main moves on, so
    /// each integration is a merge commit. Each is integrated (the person's command, a process start included), then main
    /// is put back and <c>git merge --no-ff</c> takes the same verified commit onto the same tip, then main goes forward again.
    /// </summary>
    private async Task<IReadOnlyList<(string, string, string)>> IntegrateAsync(int files, int rounds)
    {
        using var workspace = Workspace.Create("integrate");
        for (var i = 0; i < files; i++)
        {
            var folder = Path.Combine(workspace.Root, $"module-{i / 1_000}", $"part-{i / 100 % 10}");
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, $"file-{i}.txt"), $"line {i}\n");
        }

        Workspace.Git(workspace.Root, "add", "-A");
        Workspace.Git(workspace.Root, "commit", "-q", "-m", $"{files} files");
        var worktree = Path.Combine(workspace.Root, ".claude", "worktrees", "builder");
        Workspace.Git(workspace.Root, "worktree", "add", "-q", "-b", "builder-0", worktree);

        var verified = new List<string>();
        await using (var planner = RpcProcess.Start(exe, workspace.Root, "planner"))
        {
            await planner.InitializeAsync();
            for (var round = 1; round <= rounds; round++)
            {
                var id = $"plan-{round}";
                var text = PlanText(round, round, null);
                Check(await planner.CallToolAsync("write_plan", new JsonObject { ["plan_id"] = id, ["text"] = text }), "write_plan");
                var approval = await PersonProcess.RunAsync(exe, ["approve", id, "--sha", McpPlanServer.Core.Plans.PlanText.Sha256Hex(text)[..16], "--repo", workspace.Root], workspace.Root);
                Require(approval.ExitCode == 0, "mcpplan approve", approval.Error);
                Workspace.Git(worktree, "switch", "-q", "-c", $"builder-{round}", "main");
                await using (var implementer = RpcProcess.Start(exe, worktree, "implementer"))
                {
                    await implementer.InitializeAsync();
                    Directory.CreateDirectory(Path.Combine(worktree, "src"));
                    Directory.CreateDirectory(Path.Combine(worktree, "tests"));
                    File.WriteAllText(Path.Combine(worktree, "src", $"g{round}.txt"), "Hello, {name}!\n");
                    Check(await implementer.CallToolAsync("commit_step", new JsonObject { ["plan_id"] = id, ["step"] = 1, ["message"] = "template" }), "commit_step");
                    File.WriteAllText(Path.Combine(worktree, "tests", $"g{round}_test.sh"), "expect: Hello, Ada!\n");
                    Check(await implementer.CallToolAsync("commit_step", new JsonObject { ["plan_id"] = id, ["step"] = 2, ["message"] = "test" }), "commit_step");
                    Check(await implementer.CallToolAsync("submit_for_review", new JsonObject { ["plan_id"] = id }), "submit_for_review");
                }

                Check(await planner.CallToolAsync("submit_review", new JsonObject
                {
                    ["plan_id"] = id,
                    ["scores"] = new JsonObject { ["architecture"] = 95, ["code_quality"] = 95, ["testing"] = 95, ["performance"] = 95, ["security"] = 95 },
                    ["findings"] = new JsonArray(),
                    ["summary"] = "Good.",
                    ["criteria"] = CriteriaMet(),
                }), "submit_review");
                verified.Add(Workspace.Git(worktree, "rev-parse", "HEAD").Trim());

                // Main moves on meanwhile, so the integration is a merge, not a fast-forward.
                File.WriteAllText(Path.Combine(workspace.Root, "module-0", "part-0", "file-0.txt"), $"main moved {round}\n");
                Workspace.Git(workspace.Root, "commit", "-qam", $"main moves {round}");
            }
        }

        var ours = new List<double>();
        var theirs = new List<double>();
        var loads = new List<string>();
        for (var round = 1; round <= rounds; round++)
        {
            loads.Add(LoadAverage());
            var before = Workspace.Git(workspace.Root, "rev-parse", "main").Trim();
            var watch = Stopwatch.StartNew();
            var integrated = await PersonProcess.RunAsync(exe, ["integrate", $"plan-{round}", "--repo", workspace.Root], workspace.Root);
            watch.Stop();
            Require(integrated.ExitCode == 0 && integrated.Output.Contains("merge commit", StringComparison.Ordinal), "mcpplan integrate (a merge commit)", integrated.Output + integrated.Error);
            ours.Add(watch.Elapsed.TotalMilliseconds);

            var after = Workspace.Git(workspace.Root, "rev-parse", "main").Trim();
            Workspace.Git(workspace.Root, "reset", "-q", "--hard", before);
            watch.Restart();
            Workspace.Git(workspace.Root, "merge", "--no-ff", "-q", "-m", "merge", verified[round - 1]);
            watch.Stop();
            theirs.Add(watch.Elapsed.TotalMilliseconds);
            Workspace.Git(workspace.Root, "reset", "-q", "--hard", after);
        }

        var integrate = new Stats(ours);
        var merge = new Stats(theirs);
        var label = files.ToString("N0", CultureInfo.InvariantCulture);
        return
        [
            ($"mcpplan integrate, {label}-file nested repository, merge commit (median of {rounds}; process start included; load {string.Join("/", loads)})", Stats.Ms(integrate.Median), string.Empty),
            ($"git merge --no-ff of the same commit onto the same tip (median of {rounds})", Stats.Ms(merge.Median), string.Empty),
            ($"integrate / git merge, {label}-file nested", (integrate.Median / merge.Median).ToString("0.00", CultureInfo.InvariantCulture) + "×", string.Empty),
        ];
    }

    private static void Check(string response, string tool) =>
        Require(!response.Contains("\"isError\":true", StringComparison.Ordinal) && !response.Contains("\"error\":", StringComparison.Ordinal), tool, response);

    private static void Require(bool holds, string what, string detail)
    {
        if (!holds)
        {
            throw new InvalidOperationException($"{what} failed during the benchmark: {detail[..Math.Min(600, detail.Length)]}");
        }
    }
}
