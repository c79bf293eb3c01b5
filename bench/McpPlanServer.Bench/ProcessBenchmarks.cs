using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace McpPlanServer.Bench;

/// <summary>The process-level measurements of the shipped binary, printed as a markdown table.</summary>
public sealed class ProcessBenchmarks(string exe, TextWriter output)
{
    private readonly List<(string Measure, string Value, string Target)> rows = [];

    public async Task<int> RunAsync(string which, int runs)
    {
        output.WriteLine($"mcpplan benchmark: {exe}");
        if (which is "startup" or "all")
        {
            await StartupAsync(runs);
        }

        if (which is "tools" or "all")
        {
            await ToolsListAsync();
        }

        if (which is "plans" or "all")
        {
            foreach (var count in new[] { 20, 1_000, 10_000 })
            {
                await PlansAsync(count);
            }

            await ReadActiveAsync(1_000);
        }

        if (which is "writers" or "all")
        {
            await ListingUnderWritersAsync(1_000, 4);
        }

        if (which is "board" or "all")
        {
            foreach (var count in new[] { 10, 1_000, 10_000 })
            {
                rows.AddRange(await new BoardBenchmarks(exe).RunAsync(count));
            }
        }

        if (which is "commit" or "commit-flat" or "all")
        {
            await CommitAsync(20_000, 7, nested: false, settled: true);
        }

        if (which is "commit" or "commit-nested" or "all")
        {
            await CommitAsync(20_000, 7, nested: true, settled: true);
        }

        if (which is "commit-unsettled")
        {
            // The setup as it was before 2026-12-03: the 20,000-object commit's background `git gc --auto` still running
            // while commit_step is measured (the git CLI, measured after, never met it).
            await CommitAsync(20_000, 7, nested: false, settled: false);
        }

        if (which is "parallel" or "all")
        {
            rows.AddRange(await new ParallelBenchmarks(exe).RunAsync(10_000, 20_000, 5));
        }

        if (which is "parallel-listing")
        {
            rows.AddRange(await new ParallelBenchmarks(exe).ListingOnlyAsync(10_000));
        }

        if (which is "http" or "all")
        {
            rows.AddRange(await new HttpBenchmarks(exe).RunAsync());
        }

        if (which is "bad" or "all")
        {
            await BadRequestsAsync();
        }

        output.WriteLine();
        output.WriteLine("| measure | value | target |");
        output.WriteLine("|---|---|---|");
        foreach (var (measure, value, target) in rows)
        {
            output.WriteLine($"| {measure} | {value} | {target} |");
        }

        return 0;
    }

    /// <summary>Spawn → initialize answered, the way a client starts the server.</summary>
    private async Task StartupAsync(int runs)
    {
        using var workspace = Workspace.Create("startup");
        var samples = new List<double>();
        var toolLists = new List<double>();
        for (var i = 0; i < runs + 1; i++)
        {
            var watch = Stopwatch.StartNew();
            await using var server = RpcProcess.Start(exe, workspace.Root, "observer");
            await server.InitializeAsync();
            var initialized = watch.Elapsed.TotalMilliseconds;
            await server.RequestAsync("tools/list");
            watch.Stop();
            if (i > 0)
            {
                samples.Add(initialized); // the first run warms the file cache
                toolLists.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        var stats = new Stats(samples);
        var toTools = new Stats(toolLists);
        rows.Add(($"cold start, spawn → initialize answered (median of {stats.Count})", Stats.Ms(stats.Median), "≤ 60 ms"));
        rows.Add(("cold start p90", Stats.Ms(stats.Percentile(90)), string.Empty));
        rows.Add(($"cold start, spawn → first tools/list answered (median / p90 of {toTools.Count})", $"{Stats.Ms(toTools.Median)} / {Stats.Ms(toTools.Percentile(90))}", string.Empty));
    }

    private async Task ToolsListAsync()
    {
        using var workspace = Workspace.Create("tools");
        foreach (var role in new[] { "planner", "implementer", "observer" })
        {
            await using var server = RpcProcess.Start(exe, workspace.Root, role);
            await server.InitializeAsync();
            var samples = new List<double>();
            var bytes = 0;
            for (var i = 0; i < 51; i++)
            {
                var watch = Stopwatch.StartNew();
                var response = await server.RequestAsync("tools/list");
                watch.Stop();
                bytes = JsonNode.Parse(response)!["result"]!.ToJsonString().Length;
                if (i > 0)
                {
                    samples.Add(watch.Elapsed.TotalMilliseconds);
                }
            }

            var stats = new Stats(samples);
            rows.Add(($"tools/list {role}: median / bytes", $"{Stats.Ms(stats.Median)} / {bytes.ToString("N0", CultureInfo.InvariantCulture)} B", "< 6,000 B"));
        }
    }

    private async Task PlansAsync(int count)
    {
        using var workspace = Workspace.Create($"plans{count}");
        workspace.AddPlans(count);
        await using var server = RpcProcess.Start(exe, workspace.Root, "planner");
        await server.InitializeAsync();
        var random = new Random(42);

        var reads = new List<double>();
        for (var i = 0; i < 300; i++)
        {
            var id = $"plan-{random.Next(count)}";
            var watch = Stopwatch.StartNew();
            var response = await server.CallToolAsync("read_plan", new JsonObject { ["plan_id"] = id });
            watch.Stop();
            Check(response, "read_plan");
            if (i >= 20)
            {
                reads.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        var pings = await PingsAsync(server);
        var lists = new List<double>();
        var listRuns = count >= 10_000 ? 42 : 102;
        for (var i = 0; i < listRuns; i++)
        {
            var watch = Stopwatch.StartNew();
            var response = await server.CallToolAsync("list_plans", new JsonObject());
            watch.Stop();
            Check(response, "list_plans");
            if (i >= 2)
            {
                lists.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        var writes = new List<double>();
        for (var i = 0; i < 60; i++)
        {
            var id = $"written-{i}";
            var watch = Stopwatch.StartNew();
            var response = await server.CallToolAsync("write_plan", new JsonObject { ["plan_id"] = id, ["text"] = Workspace.PlanText(id) });
            watch.Stop();
            Check(response, "write_plan");
            if (i >= 5)
            {
                writes.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        var read = new Stats(reads);
        var list = new Stats(lists);
        var write = new Stats(writes);
        var plans = count.ToString("N0", CultureInfo.InvariantCulture);
        rows.Add(($"read_plan with {plans} plans: p50 / p99", $"{Stats.Ms(read.Median)} / {Stats.Ms(read.P99)}", count == 1_000 ? "p99 ≤ 5 ms" : string.Empty));
        rows.Add(($"list_plans with {plans} plans: p50 / p99 (× ping p50 {Stats.Ms(pings.Median)}, same process)", $"{Stats.Ms(list.Median)} / {Stats.Ms(list.P99)} ({Ratio(list.Median, pings.Median)} / {Ratio(list.P99, pings.Median)})", count switch { 20 => "p50 ≤ 1 ms", 1_000 => "p50 ≤ 5 ms", _ => "p50 ≤ 20 ms" }));
        rows.Add(($"write_plan with {plans} plans: p50 / p99", $"{Stats.Ms(write.Median)} / {Stats.Ms(write.P99)}", string.Empty));
        rows.Add(($"peak RSS of the server after the {plans}-plan run", $"{server.PeakRssMegabytes():0.0} MB", "≤ 60 MB"));
    }

    /// <summary>
    /// list_plans while <paramref name="writers"/> other planner servers write plans as fast as they can (each its own ids,
    /// so the state folder changes all the time and no folder listing can be kept): the reads take no lock, the writes do.
    /// </summary>
    private async Task ListingUnderWritersAsync(int count, int writers)
    {
        using var workspace = Workspace.Create($"writers{count}");
        workspace.AddPlans(count);
        await using var reader = RpcProcess.Start(exe, workspace.Root, "planner");
        await reader.InitializeAsync();
        var quiet = await ListingsAsync(reader, 52);

        using var stop = new CancellationTokenSource();
        var written = 0;
        var refused = 0;
        var running = new List<Task>();
        for (var writer = 0; writer < writers; writer++)
        {
            // Started one after the other: each server's start-up reconciles the plans under the store's lock.
            var prefix = $"writer-{writer}";
            var server = RpcProcess.Start(exe, workspace.Root, "planner");
            await server.InitializeAsync();
            running.Add(Task.Run(async () =>
            {
                await using var owned = server;
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    // A new plan each time (a rewrite would need expected_revision); a write refused busy (the lock held
                    // over 10 s by the others on a starved machine) is counted, not fatal.
                    var id = $"{prefix}-{i}";
                    var response = await server.CallToolAsync("write_plan", new JsonObject { ["plan_id"] = id, ["text"] = Workspace.PlanText(id) });
                    if (response.Contains("(busy)", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref refused);
                        continue;
                    }

                    Check(response, "write_plan");
                    Interlocked.Increment(ref written);
                }
            }));
        }

        while (Volatile.Read(ref written) + Volatile.Read(ref refused) < writers * 2)
        {
            await Task.Delay(50);
        }

        var busy = await ListingsAsync(reader, 52);
        stop.Cancel();
        await Task.WhenAll(running);
        var plans = count.ToString("N0", CultureInfo.InvariantCulture);
        rows.Add(($"list_plans with {plans} plans, no writer: p50 / p99", $"{Stats.Ms(quiet.Median)} / {Stats.Ms(quiet.P99)}", string.Empty));
        rows.Add(($"list_plans with {plans} plans while {writers} other servers write plans: p50 / p99 ({written} writes in all, {refused} refused busy)", $"{Stats.Ms(busy.Median)} / {Stats.Ms(busy.P99)}", string.Empty));
    }

    private static async Task<Stats> ListingsAsync(RpcProcess server, int runs)
    {
        var samples = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            var response = await server.CallToolAsync("list_plans", new JsonObject());
            watch.Stop();
            Check(response, "list_plans");
            if (i >= 2)
            {
                samples.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        return new Stats(samples);
    }

    /// <summary>The floor of one request in this process: MCP ping round trips, the reference the listings are divided by.</summary>
    private static async Task<Stats> PingsAsync(RpcProcess server)
    {
        var pings = new List<double>();
        for (var i = 0; i < 102; i++)
        {
            var watch = Stopwatch.StartNew();
            await server.RequestAsync("ping");
            watch.Stop();
            if (i >= 2)
            {
                pings.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        return new Stats(pings);
    }

    private static string Ratio(double value, double reference) => (value / reference).ToString("0.0", CultureInfo.InvariantCulture) + "×";

    /// <summary>read_active_plan by the implementer (no id: the only active plan is found by listing) among <paramref name="count"/> plans.</summary>
    private async Task ReadActiveAsync(int count)
    {
        using var workspace = Workspace.Create($"active{count}");
        workspace.AddPlans(count);
        var text = File.ReadAllText(Path.Combine(new McpPlanServer.Storage.FilePlanStore(workspace.Root, new McpPlanServer.Core.Configuration.PlanServerConfig()).RootPath, "Review", "plan-0.md"));
        var approval = await McpPlanServer.Cli.Commands.PersonProcess.RunAsync(
            exe, ["approve", "plan-0", "--sha", McpPlanServer.Core.Plans.PlanText.Sha256Hex(text)[..16], "--repo", workspace.Root], workspace.Root);
        if (approval.ExitCode != 0)
        {
            throw new InvalidOperationException($"mcpplan approve failed during the benchmark: {approval.Error}");
        }

        await using var server = RpcProcess.Start(exe, workspace.Root, "implementer");
        await server.InitializeAsync();
        var pings = await PingsAsync(server);
        var reads = new List<double>();
        for (var i = 0; i < 102; i++)
        {
            var watch = Stopwatch.StartNew();
            var response = await server.CallToolAsync("read_active_plan", new JsonObject());
            watch.Stop();
            Check(response, "read_active_plan");
            if (i >= 2)
            {
                reads.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        var read = new Stats(reads);
        rows.Add(($"read_active_plan with {count.ToString("N0", CultureInfo.InvariantCulture)} plans: p50 / p99 (× ping p50 {Stats.Ms(pings.Median)})", $"{Stats.Ms(read.Median)} / {Stats.Ms(read.P99)} ({Ratio(read.Median, pings.Median)} / {Ratio(read.P99, pings.Median)})", string.Empty));
    }

    /// <summary>
    /// A burst of bad requests (three 50 MB and one 200 MB write_plan, then 300 malformed lines): every one answered with
    /// an error, the server's peak and resident memory afterwards, and a normal call still answered.
    /// </summary>
    private async Task BadRequestsAsync()
    {
        using var workspace = Workspace.Create("bad");
        await using var server = RpcProcess.Start(exe, workspace.Root, "planner");
        await server.InitializeAsync();
        var before = server.RssMegabytes();
        const string Prefix = """{"jsonrpc":"2.0","id":"big","method":"tools/call","params":{"name":"write_plan","arguments":{"plan_id":"huge","text":" """;
        var watch = Stopwatch.StartNew();
        foreach (var megabytes in new[] { 50, 50, 50, 200 })
        {
            await server.SendLargeAsync(Prefix, megabytes * 1024 * 1024, "\"}}}");
            var answer = await server.ReadLineAsync();
            Expect(answer.Contains("Request too large", StringComparison.Ordinal), $"oversized request: {answer}");
        }

        watch.Stop();
        string[] malformed =
        [
            "garbage",
            """[{"jsonrpc":"2.0","id":1,"method":"ping"}]""",
            """{"jsonrpc":"2.0","id":"m","method":"tools/call","params":{"name":"read_plan","arguments":{"plan_id":"\ud800"}}}""",
            """{"jsonrpc":"2.0","id":"m","method":"tools/call","params":{"name":"list_plans","arguments":[1]}}""",
            """{"jsonrpc":"2.0","id":"m","method":"tools/call","params":{}}""",
            """{"jsonrpc":"2.0","id":"m","method":"tools/call","params":{"name":"read_plan","arguments":{"plan_id":"a","plan_id":"b"}}}""",
        ];
        for (var i = 0; i < 300; i++)
        {
            await server.SendRawAsync(malformed[i % malformed.Length]);
            var answer = await server.ReadLineAsync();
            Expect(answer.Contains("\"error\"", StringComparison.Ordinal) || answer.Contains("\"isError\":true", StringComparison.Ordinal), $"malformed line {i}: {answer}");
        }

        Check(await server.CallToolAsync("list_plans", new JsonObject()), "list_plans after the burst");
        rows.Add(("3 × 50 MB + 1 × 200 MB requests refused (streamed past, never held)", $"{Stats.Ms(watch.Elapsed.TotalMilliseconds)} in all", string.Empty));
        rows.Add(("server RSS before / after the burst of 4 oversized and 300 malformed requests", $"{before:0.0} MB / {server.RssMegabytes():0.0} MB", "bounded"));
        rows.Add(("peak RSS of the server during that burst", $"{server.PeakRssMegabytes():0.0} MB", "≤ 100 MB"));
    }

    private static void Expect(bool holds, string what)
    {
        if (!holds)
        {
            throw new InvalidOperationException($"Unexpected answer to {what}");
        }
    }

    /// <summary>
    /// commit_step on a large repository against `git add` + `git commit` of the same kind of change. Flat: every file
    /// in one folder (the worst case: the changed folder's tree has them all). Nested: a project's layout, 20 top
    /// folders × 10 subfolders × 100 files, with the edited files at src/ (the step's files) beside it. Settled: the
    /// repository is packed by a `git gc` that has finished before anything is measured. Committing 20,000 new objects
    /// makes `git commit` start `git gc --auto` in the background, and left running it packed the repository and pruned
    /// 20,000 loose objects during commit_step's calls (on 2 cores) but was over by the git CLI's turn: the run-to-run
    /// bimodality of the one-folder ratio (3.59× / 1.25×) until 2026-12-03.
    /// </summary>
    private async Task CommitAsync(int files, int rounds, bool nested, bool settled)
    {
        using var workspace = Workspace.Create(nested ? "commitnested" : "commit");
        var source = Path.Combine(workspace.Root, "src");
        Directory.CreateDirectory(source);
        for (var i = 0; i < (nested ? 200 : files); i++)
        {
            File.WriteAllText(Path.Combine(source, $"file-{i}.txt"), $"line {i}\n");
        }

        for (var i = 0; nested && i < files; i++)
        {
            var folder = Path.Combine(workspace.Root, $"module-{i / 1_000}", $"part-{i / 100 % 10}");
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, $"file-{i}.txt"), $"line {i}\n");
        }

        Workspace.Git(workspace.Root, "add", "-A");
        if (settled)
        {
            Workspace.Git(workspace.Root, "-c", "gc.auto=0", "commit", "-q", "-m", $"{files} files");
            Workspace.Git(workspace.Root, "gc", "-q");
        }
        else
        {
            Workspace.Git(workspace.Root, "commit", "-q", "-m", $"{files} files");
        }

        var planText = Workspace.PlanText("commit-bench").Replace("**Risk level**: Low", "**Risk level**: Low\n**Steps**: independent", StringComparison.Ordinal);
        var stepLines = string.Concat(Enumerable.Range(1, rounds).Select(step => $"{step}. **Edit {step}** `src/file-1.txt`\n"));
        planText = planText.Replace("1. **Edit** `src/file-1.txt`\n2. **Edit again** `src/file-1.txt`\n", stepLines, StringComparison.Ordinal);

        var ours = new List<double>();
        await using (var planner = RpcProcess.Start(exe, workspace.Root, "planner"))
        {
            await planner.InitializeAsync();
            Check(await planner.CallToolAsync("write_plan", new JsonObject { ["plan_id"] = "commit-bench", ["text"] = planText }), "write_plan");
        }

        // The person's approval of the exact text, run as the person runs it (clean environment, outside this
        // process's ancestry), so the benchmark also works when started from an agent's shell.
        var approval = await McpPlanServer.Cli.Commands.PersonProcess.RunAsync(
            exe, ["approve", "commit-bench", "--sha", McpPlanServer.Core.Plans.PlanText.Sha256Hex(planText)[..16], "--repo", workspace.Root], workspace.Root);
        if (approval.ExitCode != 0)
        {
            throw new InvalidOperationException($"mcpplan approve failed during the benchmark: {approval.Error}");
        }

        // The server's own phases of each commit_step (MCPPLAN_LOCK_LOG, see BenchTimings), printed per step so a slow
        // run and a fast one can be compared phase by phase, with how many of the folder's files are not older than
        // git's index (entries libgit2 must treat as racily clean: it re-reads them before trusting their stat data).
        var phaseLog = Path.Combine(workspace.Root, ".git", "mcpplan-phases");
        Directory.CreateDirectory(phaseLog);
        Environment.SetEnvironmentVariable("MCPPLAN_LOCK_LOG", phaseLog);
        output.WriteLine($"commit_step phases, {(nested ? "nested" : "one-folder")} layout{(settled ? string.Empty : ", setup's gc left running")} (load {LoadAverage()}):");
        await using (var implementer = RpcProcess.Start(exe, workspace.Root, "implementer"))
        {
            Environment.SetEnvironmentVariable("MCPPLAN_LOCK_LOG", null);
            await implementer.InitializeAsync();
            var linesSeen = 0;
            for (var step = 1; step <= rounds; step++)
            {
                var racy = NotOlderThanIndex(workspace.Root, source);
                File.WriteAllText(Path.Combine(source, $"file-{step}.txt"), $"changed {step}\n");
                var watch = Stopwatch.StartNew();
                var response = await implementer.CallToolAsync("commit_step", new JsonObject
                {
                    ["plan_id"] = "commit-bench",
                    ["step"] = step,
                    ["message"] = $"step {step}",
                    ["paths"] = new JsonArray($"src/file-{step}.txt"),
                });
                watch.Stop();
                Check(response, "commit_step");
                ours.Add(watch.Elapsed.TotalMilliseconds);
                var phases = Directory.GetFiles(phaseLog, "*.log").SelectMany(File.ReadAllLines).ToList();
                var these = phases.Skip(linesSeen).Select(line => line.Split(' ')).Where(parts => parts.Length == 2 && (parts[0].StartsWith("step:", StringComparison.Ordinal) || parts[0].StartsWith("read:", StringComparison.Ordinal)));
                linesSeen = phases.Count;
                output.WriteLine($"  step {step}: {watch.Elapsed.TotalMilliseconds:0.0} ms; racy before it: {racy}; " + string.Join(", ", these.Select(parts => $"{parts[0][(parts[0].IndexOf(':', StringComparison.Ordinal) + 1)..]} {parts[1]}")));
            }
        }

        var theirs = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            File.WriteAllText(Path.Combine(source, $"file-{round + 100}.txt"), $"changed by git {round}\n");
            var racy = NotOlderThanIndex(workspace.Root, source);
            var watch = Stopwatch.StartNew();
            Workspace.Git(workspace.Root, "add", $"src/file-{round + 100}.txt");
            Workspace.Git(workspace.Root, "commit", "-q", "-m", $"git {round}");
            watch.Stop();
            theirs.Add(watch.Elapsed.TotalMilliseconds);
            output.WriteLine($"  git round {round}: {watch.Elapsed.TotalMilliseconds:0.0} ms; before it: {racy}");
        }

        var commitStep = new Stats(ours);
        var git = new Stats(theirs);
        var label = files.ToString("N0", CultureInfo.InvariantCulture) + (nested ? "-file nested" : "-file one-folder");
        label += settled ? string.Empty : ", setup's gc left running";
        rows.Add(($"commit_step, {label} repository (median of {rounds})", Stats.Ms(commitStep.Median), string.Empty));
        rows.Add(($"git add + git commit, same repository (median of {rounds})", Stats.Ms(git.Median), string.Empty));
        rows.Add(($"commit_step / git CLI, {label}", (commitStep.Median / git.Median).ToString("0.00", CultureInfo.InvariantCulture) + "×", nested ? "≤ 1.0×" : "≤ 1.5×"));
    }

    /// <summary>Files of <paramref name="folder"/> whose modification time is not older than git's index file: in the
    /// same clock tick, and in the same second.</summary>
    private static string NotOlderThanIndex(string root, string folder)
    {
        var index = File.GetLastWriteTimeUtc(Path.Combine(root, ".git", "index"));
        var sameTick = 0;
        var sameSecond = 0;
        foreach (var file in new DirectoryInfo(folder).EnumerateFiles())
        {
            var written = file.LastWriteTimeUtc;
            sameTick += written >= index ? 1 : 0;
            sameSecond += written.Ticks / TimeSpan.TicksPerSecond >= index.Ticks / TimeSpan.TicksPerSecond ? 1 : 0;
        }

        var gc = File.Exists(Path.Combine(root, ".git", "gc.pid")) ? "git gc running" : "no gc";
        // A running gc removes loose objects and their folders while they are counted.
        var objects = new DirectoryInfo(Path.Combine(root, ".git", "objects"));
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true };
        var loose = objects.EnumerateFiles("*", options).Count(file => file.Directory?.Name.Length == 2);
        var packs = objects.EnumerateFiles("*.pack", options).Count();
        return $"{sameTick} files not older than .git/index ({index:HH:mm:ss.fff}), {sameSecond} in its second or later; {gc}, {loose} loose objects, {packs} packs";
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static void Check(string response, string tool)
    {
        if (response.Contains("\"isError\":true", StringComparison.Ordinal) || response.Contains("\"error\":", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{tool} failed during the benchmark: {response[..Math.Min(400, response.Length)]}");
        }
    }
}
