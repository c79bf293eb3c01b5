using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Git;
using McpPlanServer.Storage;
using McpPlanServer.Storage.Postgres;

namespace McpPlanServer.Bench;

/// <summary>
/// Issue 19's team bench: implementer sessions (each a real <c>mcpplan serve</c> process in its own linked worktree) on
/// several clones of one bare remote ("machines"), one PostgreSQL database, for a fixed time. Each session loops:
/// <c>list_plans</c>; a claim on a random plan of a small hot pool (so sessions collide); when granted,
/// <c>read_active_plan</c>, <c>commit_step</c> of the next step not done here (no push remote: the commit without the
/// push), and <c>release_plan</c>. Counts grants and refusals, and checks that no plan was ever held by two sessions at
/// once: each session's hold, as the client saw it (from the grant's answer to the release's request), lies inside the
/// database's hold, so two overlapping client holds of one plan would be a double grant. With a rate (tool calls per
/// session per second) each session waits before each call as an agent waits for its model (uniformly 0.5-1.5 times the
/// interval); without one (0, the default) every session calls back to back, which on a small machine measures the CPU
/// run queue of 50 processes more than the server.
/// </summary>
public sealed class TeamBenchmarks(string exe, string connection, TextWriter output)
{
    private const int Steps = 40;

    private const string ServersCategory = "servers (`mcpplan serve`)";

    private readonly Stopwatch clock = Stopwatch.StartNew();

    private TimeSpan measureFrom;

    private double rate;

    private string repository = string.Empty;

    /// <summary>Runs the team; the first <paramref name="warmUp"/> seconds of the loop are not measured (a JIT build compiles its paths there).</summary>
    /// <param name="board">A board watches the repository for the whole run (a change listener with activity, in this
    /// process): claims, releases and steps are then announced, and every notification wakes every listening connection.</param>
    public async Task<int> RunAsync(int sessions, int machines, int seconds, int hotPlans, int warmUp = 0, double rate = 0, bool board = false)
    {
        this.rate = rate;
        var root = Path.Combine(Path.GetTempPath(), $"mcpplan-bench-team-{Guid.NewGuid():N}"[..36]);
        Directory.CreateDirectory(root);
        var servers = new List<(RpcProcess Server, string Worktree)>();
        try
        {
            var clones = Prepare(root, machines, hotPlans);
            var lockLog = Path.Combine(root, "lock-log");
            Directory.CreateDirectory(lockLog);
            Environment.SetEnvironmentVariable("MCPPLAN_LOCK_LOG", lockLog);
            var started = Stopwatch.StartNew();
            for (var session = 0; session < sessions; session++)
            {
                var machine = session % machines;
                var worktree = Path.Combine(root, $"m{machine}-w{session}");
                Workspace.Git(clones[machine], "worktree", "add", "-q", "-b", $"work-{session}", worktree);
                var server = RpcProcess.Start(exe, worktree, "implementer");
                await server.InitializeAsync();
                servers.Add((server, worktree));
            }

            using var watching = new CancellationTokenSource();
            using var boardSource = board ? PostgresConnection.Open(connection) : null;
            var boardHeard = 0;
            var boardRun = boardSource is null ? Task.CompletedTask : new PostgresChangeListener(boardSource, repository, activity: true).RunAsync(
                _ =>
                {
                    Interlocked.Increment(ref boardHeard);
                    return Task.CompletedTask;
                },
                watching.Token);

            output.WriteLine($"{sessions} sessions on {machines} clones started in {started.Elapsed.TotalSeconds:0.0} s; load average {LoadAverage()}");
            output.WriteLine(rate > 0
                ? $"paced: {rate:0.###} tool calls per session per second (a wait of 0.5-1.5 × {1000 / rate:0} ms before each call), {rate * sessions:0.#} calls per second in all"
                : "saturated: every session calls back to back (no wait between calls)");
            measureFrom = clock.Elapsed + TimeSpan.FromSeconds(warmUp);
            var until = measureFrom + TimeSpan.FromSeconds(seconds);
            using var steal = new StealSampler(clock);
            var sessionsRun = Task.WhenAll(servers.Select((entry, index) => Task.Run(() => SessionAsync(entry.Server, entry.Worktree, index, hotPlans, until))));
            await Task.Delay(TimeSpan.FromSeconds(warmUp));
            var warmLines = Directory.GetFiles(lockLog, "*.log").ToDictionary(log => log, log => File.ReadAllLines(log).Length);
            var categories = CpuCategories(servers.Select(entry => entry.Server.ProcessId));
            var cpuBefore = CpuSnapshot.Supported ? CpuSnapshot.Take(categories) : null;

            var results = await sessionsRun;
            var loadAfter = LoadAverage();
            await watching.CancelAsync();
            await boardRun.ContinueWith(_ => { }, TaskScheduler.Default);
            output.WriteLine(board ? $"a board watched the repository (activity announced): it heard {boardHeard} changes" : "no board watched the repository (activity not announced)");
            CpuSnapshot? cpuAfter = null;
            if (cpuBefore is not null)
            {
                foreach (var (pid, category) in CpuCategories([]))
                {
                    categories.TryAdd(pid, category);
                }

                cpuAfter = CpuSnapshot.Take(categories);
            }

            await Task.WhenAll(servers.Select(entry => entry.Server.DisposeAsync().AsTask()));
            servers.Clear();
            Report(results, sessions, machines, seconds, hotPlans, loadAfter);
            StealLines(results.SelectMany(result => result.ClaimCalls).ToList(), steal, until);
            LockLines(lockLog, warmLines, sessions, seconds);
            if (cpuBefore is not null && cpuAfter is not null)
            {
                CpuReport.Write(output, cpuBefore, cpuAfter, results.Sum(result => result.Calls), [ServersCategory]);
            }
            return 0;
        }
        finally
        {
            await Task.WhenAll(servers.Select(entry => entry.Server.DisposeAsync().AsTask()));
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>The seed repository (config naming the database, no push remote), its plans written and approved in
    /// process, a bare remote, and one clone per machine.</summary>
    private string[] Prepare(string root, int machines, int hotPlans)
    {
        var seed = Path.Combine(root, "seed");
        Directory.CreateDirectory(seed);
        Workspace.Git(seed, "init", "-q", "-b", "main");
        Identity(seed);
        repository = $"team-{Guid.NewGuid():N}"[..20];
        var config = new PlanServerConfig { Store = new StoreSettings { Kind = StoreKind.Postgres, Connection = connection, Repository = repository } };
        ConfigFile.Save(Path.Combine(seed, ".claude", "mcpplan.json"), config);
        File.WriteAllText(Path.Combine(seed, "README.md"), "team bench\n");
        Workspace.Git(seed, "add", "-A");
        Workspace.Git(seed, "commit", "-q", "-m", "plans in PostgreSQL");
        using (var database = PostgresPlanStore.Open(config, _ => null))
        {
            var workflow = new PlanWorkflow(database, config, new GitRepositoryGateway(seed), null, TimeProvider.System);
            for (var plan = 0; plan < hotPlans; plan++)
            {
                var id = $"hot-{plan}";
                workflow.WritePlan(Actor.Planner, id, PlanText(id), null);
                workflow.Approve(id, "bench", ApprovalChannels.Cli, null, workflow.ReadPlan(id).TextSha256);
            }
        }

        var bare = Path.Combine(root, "remote.git");
        Workspace.Git(root, "clone", "-q", "--bare", seed, bare);
        return [.. Enumerable.Range(0, machines).Select(machine =>
        {
            var clone = Path.Combine(root, $"machine-{machine}");
            Workspace.Git(root, "clone", "-q", bare, clone);
            Identity(clone);
            return clone;
        })];
    }

    private static void Identity(string repository)
    {
        Workspace.Git(repository, "config", "user.name", "Bench");
        Workspace.Git(repository, "config", "user.email", "bench@example.com");
        Workspace.Git(repository, "config", "commit.gpgsign", "false");
    }

    private static string PlanText(string id)
    {
        var steps = new StringBuilder();
        var files = new StringBuilder();
        for (var step = 1; step <= Steps; step++)
        {
            files.Append(CultureInfo.InvariantCulture, $"### {step}. `src/{id}/s{step}.txt`\n");
            steps.Append(CultureInfo.InvariantCulture, $"{step}. **Write part {step}** in `src/{id}/s{step}.txt`\n");
        }

        return $"# Plan: Team bench {id}\n\n**Risk level**: Low\n\n## Summary\nA plan the team bench builds.\n\n## Files to Create\n{files}\n## Implementation Steps\n{steps}\n## Success Criteria\n- [ ] `src/{id}/s1.txt` exists\n";
    }

    private async Task<TeamSessionResult> SessionAsync(RpcProcess server, string worktree, int session, int hotPlans, TimeSpan until)
    {
        var result = new TeamSessionResult();
        var random = new Random(session);
        var counter = 0;
        var due = clock.Elapsed;
        async Task PaceAsync()
        {
            if (rate <= 0)
            {
                return;
            }

            due += TimeSpan.FromSeconds((0.5 + random.NextDouble()) / rate);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }
            else
            {
                due = clock.Elapsed;
            }
        }

        while (clock.Elapsed < until)
        {
            await PaceAsync();
            var listed = await TimedAsync(result, result.ListPlans, () => server.CallToolAsync("list_plans", new JsonObject()));
            Require(listed, "list_plans");

            var plan = $"hot-{random.Next(hotPlans)}";
            await PaceAsync();
            var claimStarted = clock.Elapsed;
            var claimed = await TimedAsync(result, result.Claims, () => server.CallToolAsync("read_active_plan", new JsonObject { ["plan_id"] = plan, ["claim"] = true }));
            var grantedAt = clock.Elapsed;
            if (claimStarted >= measureFrom)
            {
                (IsError(claimed) ? result.ClaimsRefused : result.ClaimsGranted).Add((grantedAt - claimStarted).TotalMilliseconds);
                result.ClaimCalls.Add(new TeamClaim(claimStarted, grantedAt, !IsError(claimed)));
            }

            if (IsError(claimed))
            {
                result.Refusals[RefusalCode(claimed)] = result.Refusals.GetValueOrDefault(RefusalCode(claimed)) + 1;
                continue;
            }

            result.Granted++;
            var fence = Structured(claimed)?["claim"]?["fence"]?.GetValue<long>() ?? -1;
            await PaceAsync();
            var read = await TimedAsync(result, result.ReadActive, () => server.CallToolAsync("read_active_plan", new JsonObject { ["plan_id"] = plan }));
            Require(read, "read_active_plan");
            var next = (Structured(read)?["steps"] as JsonArray)?.FirstOrDefault(step => step?["done"]?.GetValue<bool>() == false)?["number"]?.GetValue<int>();
            if (next is { } step)
            {
                var file = $"src/{plan}/s{step}.txt";
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(worktree, file))!);
                await File.WriteAllTextAsync(Path.Combine(worktree, file), $"session {session} change {++counter}\n");
                await PaceAsync();
                var committed = await TimedAsync(result, result.CommitSteps, () => server.CallToolAsync("commit_step", new JsonObject
                {
                    ["plan_id"] = plan,
                    ["step"] = step,
                    ["message"] = $"Part {step} by session {session}",
                    ["paths"] = new JsonArray(file),
                }));
                if (IsError(committed))
                {
                    result.CommitRefusals[RefusalCode(committed)] = result.CommitRefusals.GetValueOrDefault(RefusalCode(committed)) + 1;
                    Workspace.Git(worktree, "checkout", "-q", "--", ".");
                }
            }

            await PaceAsync();
            var releasedAt = clock.Elapsed;
            if (releasedAt >= measureFrom)
            {
                result.Calls++;
            }

            var released = await server.CallToolAsync("release_plan", new JsonObject { ["plan_id"] = plan });
            Require(released, "release_plan");
            result.Holds.Add(new TeamHold(plan, session, fence, grantedAt, releasedAt));
        }

        return result;
    }

    private void Report(TeamSessionResult[] results, int sessions, int machines, int seconds, int hotPlans, string loadAfter)
    {
        var holds = results.SelectMany(result => result.Holds).ToList();
        var overlapping = holds.GroupBy(hold => hold.Plan).Sum(plan =>
        {
            var ordered = plan.OrderBy(hold => hold.From).ToList();
            return ordered.Zip(ordered.Skip(1)).Count(pair => pair.Second.From < pair.First.Until && pair.Second.Session != pair.First.Session);
        });
        var duplicateFences = holds.GroupBy(hold => hold.Fence).Count(group => group.Count() > 1);
        var refusals = results.SelectMany(result => result.Refusals).GroupBy(pair => pair.Key).Select(group => $"{group.Key} {group.Sum(pair => pair.Value):N0}");
        var commitRefusals = results.SelectMany(result => result.CommitRefusals).GroupBy(pair => pair.Key).Select(group => $"{group.Key} {group.Sum(pair => pair.Value):N0}").ToList();
        output.WriteLine();
        output.WriteLine($"{sessions} implementer sessions (processes) on {machines} clones, one database, {seconds} s, {hotPlans} plans of {Steps} steps to fight over, {(rate > 0 ? $"paced at {rate:0.###} calls per session per second" : "saturated (back to back)")}; load average after: {loadAfter}");
        output.WriteLine();
        output.WriteLine("| measure | value | target |");
        output.WriteLine("|---|---|---|");
        output.WriteLine($"| claims granted / refused | {results.Sum(result => result.Granted):N0} / {results.Sum(result => result.Refusals.Values.Sum()):N0} ({string.Join(", ", refusals)}) | |");
        output.WriteLine($"| double grants (overlapping holds of one plan by two sessions) / fences given twice | {overlapping} / {duplicateFences} | 0 / 0 |");
        Line("a claim (`read_active_plan` with `claim`, granted or refused), client-observed", results.SelectMany(result => result.Claims), "p99 ≤ 20 ms");
        Line("of which granted", results.SelectMany(result => result.ClaimsGranted), string.Empty);
        Line("of which refused", results.SelectMany(result => result.ClaimsRefused), string.Empty);
        Line("`list_plans`", results.SelectMany(result => result.ListPlans), string.Empty);
        Line("`read_active_plan`", results.SelectMany(result => result.ReadActive), string.Empty);
        Line("`commit_step` (no push remote)", results.SelectMany(result => result.CommitSteps), string.Empty);
        if (commitRefusals.Count > 0)
        {
            output.WriteLine($"| `commit_step` refusals | {string.Join(", ", commitRefusals)} | |");
        }
    }

    /// <summary>
    /// The claims told apart by the hypervisor's steal (<see cref="StealSampler"/>): those during which other guests took
    /// CPU from this machine and those during which they took none, and the slowest claims with what was stolen while
    /// they ran. The target is judged on all claims; this says how much of a miss the machine made.
    /// </summary>
    private void StealLines(List<TeamClaim> claims, StealSampler steal, TimeSpan until)
    {
        if (!StealSampler.Supported)
        {
            return;
        }

        var stolen = claims.ToLookup(claim => steal.TicksBetween(claim.Started, claim.Answered) > 0);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| the hypervisor's steal over the measured window (CPU time other guests took from this machine's cores) | {steal.SecondsBetween(measureFrom, until):0.0} CPU s | |"));
        Line("claims during which no steal was read", stolen[false].Select(claim => claim.Milliseconds), string.Empty);
        Line("claims during which steal was read (≥ 10 ms of some core's time went to other guests)", stolen[true].Select(claim => claim.Milliseconds), string.Empty);
        var slowest = claims.OrderByDescending(claim => claim.Milliseconds).Take(10)
            .Select(claim => string.Create(CultureInfo.InvariantCulture, $"{claim.Milliseconds:0.0} ms {(claim.Granted ? "granted" : "refused")}, steal {steal.TicksBetween(claim.Started, claim.Answered) * 10} ms"));
        output.WriteLine($"| the 10 slowest claims (steal read while each ran) | {string.Join("; ", slowest)} | |");
    }

    /// <summary>
    /// The servers' own timings (<c>MCPPLAN_LOCK_LOG</c>, see <c>BenchTimings</c>): waiting for a lock, holding it, a
    /// claim's phases and each tool call from its arrival in the server to its answer (a binary older than these lines
    /// writes only the lock lines).
    /// </summary>
    private void LockLines(string folder, Dictionary<string, int> warmLines, int servers, int seconds)
    {
        var lines = Directory.GetFiles(folder, "*.log").SelectMany(log => File.ReadAllLines(log).Skip(warmLines.GetValueOrDefault(log))).Select(line => line.Split(' ')).Where(parts => parts.Length == 2).ToList();
        double[] Of(string kind) => [.. lines.Where(parts => parts[0] == kind).Select(parts => double.Parse(parts[1], CultureInfo.InvariantCulture))];
        Line("inside the servers: a claim (`read_active_plan` with `claim`), arrival to answer", Of("tool:read_active_plan+claim"), "");
        Line("inside the servers: a claim's checks (claims and plan read, no lock)", Of("claim-checks"), string.Empty);
        Line("inside the servers: a claim's branch and worktree (plan branches on)", Of("claim-place"), string.Empty);
        Line("inside the servers: a claim's write (one round trip: row, fence, journal line)", Of("claim-write"), string.Empty);
        Line("inside the servers: `list_plans`", Of("tool:list_plans"), string.Empty);
        Line("inside the servers: `commit_step`", Of("tool:commit_step"), string.Empty);
        Line("inside the servers: `release_plan`", Of("tool:release_plan"), string.Empty);
        var wakes = Of("wake");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| inside the servers: LISTEN wake-ups (all servers, each sending one list_changed) / notifications they carried / wake-ups per server per second | {wakes.Length:N0} / {wakes.Sum():N0} / {(servers > 0 && seconds > 0 ? wakes.Length / (double)servers / seconds : 0):0.00} | |"));
        Line("inside the servers: waiting for a lock (the repository's or the journal's)", Of("wait"), string.Empty);
        Line("inside the servers: holding a lock (first lock taken to commit)", Of("hold"), string.Empty);
        string[] reported = ["tool:read_active_plan+claim", "claim-checks", "claim-place", "claim-write", "tool:list_plans", "tool:commit_step", "tool:release_plan", "wake", "wait", "hold"];
        foreach (var kind in lines.Select(parts => parts[0]).Distinct().Except(reported).Order(StringComparer.Ordinal))
        {
            // Every other phase the servers timed (read:*, step:*, listing:*, other tools), for breaking a slow call down.
            Line($"inside the servers: `{kind}`", Of(kind), string.Empty);
        }
    }

    private void Line(string what, IEnumerable<double> samples, string target)
    {
        var stats = new Stats(samples);
        output.WriteLine($"| {what}: calls, p50 / p99 | {stats.Count:N0}, {Stats.Ms(stats.Median)} / {Stats.Ms(stats.P99)} | {target} |");
    }

    private async Task<string> TimedAsync(TeamSessionResult session, List<double> into, Func<Task<string>> call)
    {
        var started = clock.Elapsed;
        var response = await call();
        if (started < measureFrom)
        {
            return response;
        }

        session.Calls++;
        into.Add((clock.Elapsed - started).TotalMilliseconds);
        return response;
    }

    /// <summary>
    /// What the CPU report sorts processes into: the servers, this bench, and the database's processes (from
    /// <c>pg_stat_activity</c>: the servers' LISTEN connections, the other client connections, the background processes,
    /// and the postmaster, whose reaped children are the connections that ended).
    /// </summary>
    private Dictionary<int, string> CpuCategories(IEnumerable<int> serverIds)
    {
        var categories = serverIds.ToDictionary(pid => pid, _ => ServersCategory);
        categories[Environment.ProcessId] = "the bench (this process)";
        using var dataSource = PostgresConnection.Open(connection);
        using var connectionToDatabase = dataSource.OpenConnection();
        using var query = new Npgsql.NpgsqlCommand("SELECT pid, coalesce(backend_type, ''), coalesce(query, '') FROM pg_stat_activity WHERE pid IS NOT NULL", connectionToDatabase);
        using var reader = query.ExecuteReader();
        var any = 0;
        while (reader.Read())
        {
            var pid = reader.GetInt32(0);
            any = pid;
            categories[pid] = reader.GetString(1) != "client backend" ? "postgres: background processes"
                : reader.GetString(2).StartsWith("LISTEN", StringComparison.Ordinal) ? "postgres: the servers' LISTEN connections"
                : "postgres: other client connections";
        }

        if (any != 0 && File.Exists($"/proc/{any}/stat"))
        {
            var stat = File.ReadAllText($"/proc/{any}/stat");
            var postmaster = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
            categories[postmaster] = "postgres: postmaster (and the connections that ended)";
        }

        return categories;
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static JsonNode? Structured(string response) => JsonNode.Parse(response)?["result"]?["structuredContent"];

    private static bool IsError(string response) => JsonNode.Parse(response)?["result"]?["isError"]?.GetValue<bool>() == true;

    private static string RefusalCode(string response)
    {
        var text = JsonNode.Parse(response)?["result"]?["content"]?[0]?["text"]?.GetValue<string>() ?? response;
        var start = text.IndexOf("Refused (", StringComparison.Ordinal);
        var end = text.IndexOf(')', StringComparison.Ordinal);
        return start >= 0 && end > start + 9 && end - start < 50 ? text[(start + 9)..end] : text[..Math.Min(60, text.Length)];
    }

    private static void Require(string response, string what)
    {
        if (IsError(response) || response.Contains("\"error\":", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{what} failed: {response[..Math.Min(400, response.Length)]}");
        }
    }
}
