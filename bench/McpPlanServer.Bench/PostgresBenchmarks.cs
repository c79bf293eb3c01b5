using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;
using McpPlanServer.Storage.Postgres;
using McpPlanServer.Testing;

namespace McpPlanServer.Bench;

/// <summary>
/// The PostgreSQL store: <c>list_plans</c> over stdio with 10,000 plans in the database, the claim transaction under
/// contention from many processes (each its own connection, as machines have), and LISTEN/NOTIFY latency from one
/// data source's commit to another's listener.
/// </summary>
public sealed class PostgresBenchmarks(string exe, string connection, TextWriter output)
{
    private readonly List<(string Measure, string Value, string Target)> rows = [];

    public async Task<int> RunAsync(int processes, int seconds, bool listing)
    {
        if (listing)
        {
            await ListPlansAsync(10_000);
        }

        await ClaimsAsync(processes, seconds);
        await NotificationsAsync(200, claims: false);
        await NotificationsAsync(200, claims: true);
        output.WriteLine();
        output.WriteLine("| measure | value | target |");
        output.WriteLine("|---|---|---|");
        foreach (var (measure, value, target) in rows)
        {
            output.WriteLine($"| {measure} | {value} | {target} |");
        }

        return 0;
    }

    private async Task ListPlansAsync(int count)
    {
        using var workspace = Workspace.Create($"pg{count}");
        workspace.AddPlans(count);
        var repository = $"bench-{Guid.NewGuid():N}"[..20];
        var config = new PlanServerConfig { Store = new StoreSettings { Kind = StoreKind.Postgres, Connection = connection, Repository = repository } };
        using (var database = PostgresPlanStore.Open(config, _ => null))
        {
            StoreTransfer.Import(new FilePlanStore(workspace.Root, new PlanServerConfig()), database);
        }

        Breakdown(config, count);
        Directory.Delete(Path.Combine(workspace.Root, ".claude", "plans"), recursive: true);
        ConfigFile.Save(Path.Combine(workspace.Root, ".claude", "mcpplan.json"), config);
        await using var server = RpcProcess.Start(exe, workspace.Root, "planner");
        await server.InitializeAsync();
        var lists = new List<double>();
        for (var i = 0; i < 42; i++)
        {
            var watch = Stopwatch.StartNew();
            var response = await server.CallToolAsync("list_plans", new JsonObject());
            watch.Stop();
            Require(response, "list_plans");
            if (i >= 2)
            {
                lists.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        var reads = new List<double>();
        var random = new Random(42);
        for (var i = 0; i < 220; i++)
        {
            var watch = Stopwatch.StartNew();
            var response = await server.CallToolAsync("read_plan", new JsonObject { ["plan_id"] = $"plan-{random.Next(count)}" });
            watch.Stop();
            Require(response, "read_plan");
            if (i >= 20)
            {
                reads.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        var list = new Stats(lists);
        var read = new Stats(reads);
        var plans = count.ToString("N0", CultureInfo.InvariantCulture);
        Row($"PostgreSQL: `list_plans` with {plans} plans (first page), server over stdio: p50 / p99", $"{Stats.Ms(list.Median)} / {Stats.Ms(list.P99)}", "≤ 50 ms");
        Row($"PostgreSQL: `read_plan` with {plans} plans: p50 / p99", $"{Stats.Ms(read.Median)} / {Stats.Ms(read.P99)}", string.Empty);
        Row($"PostgreSQL: peak RSS of the server after the {plans}-plan run", $"{server.PeakRssMegabytes():0.0} MB", string.Empty);
    }

    /// <summary>
    /// In-process, where a listing spends its time: the listing query alone, then the workflow's first page with a timing
    /// store around the database (calls and milliseconds per store method), so the stdio figure can be split into query,
    /// store round trips, workflow and transport.
    /// </summary>
    public void Breakdown(PlanServerConfig config, int count)
    {
        using var database = PostgresPlanStore.Open(config, _ => null);
        var timed = new TimedPlanStore(database);
        var workflow = new PlanWorkflow(timed, config, null, null, TimeProvider.System);
        var fresh = new List<double>();
        var kept = new List<double>();
        var pages = new List<double>();
        for (var i = 0; i < 22; i++)
        {
            var watch = Stopwatch.StartNew();
            using (database.AcquireLock())
            {
                // Inside a change the store reads every row afresh: what every listing cost before the kept listing.
                watch.Restart();
                database.ListPlans();
                fresh.Add(watch.Elapsed.TotalMilliseconds);
            }

            watch.Restart();
            database.ListPlans();
            kept.Add(watch.Elapsed.TotalMilliseconds);
            timed.Reset();
            watch.Restart();
            workflow.ListPlans(null, 0, PlanLimits.DefaultListLimit);
            pages.Add(watch.Elapsed.TotalMilliseconds);
        }

        var inStore = string.Join(", ", timed.Totals.OrderByDescending(pair => pair.Value.Milliseconds).Select(pair => $"{pair.Key} ×{pair.Value.Calls} {Stats.Ms(pair.Value.Milliseconds)}"));

        // After another connection changed one plan row (not on the first page; its stamp stays): the kept listing is
        // brought up to date from the rows written since (schema 5), then the listing orders it again.
        var names = new List<double>();
        var changedPages = new List<double>();
        using (var other = new Npgsql.NpgsqlConnection(connection))
        {
            other.Open();
            for (var i = 0; i < 22; i++)
            {
                Touch(other, config.Store.Repository!, $"plan-{count - 1 - i}");
                var watch = Stopwatch.StartNew();
                database.ListPlanNames();
                names.Add(watch.Elapsed.TotalMilliseconds);
                Touch(other, config.Store.Repository!, $"plan-{count - 1 - i}");
                watch.Restart();
                workflow.ListPlans(null, 0, PlanLimits.DefaultListLimit);
                changedPages.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        // The start-up pass (every plan in line: no lock taken) on a new workflow, as a server starting.
        var passes = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            using var store = PostgresPlanStore.Open(config, _ => null);
            new PlanWorkflow(store, config, null, null, TimeProvider.System).Reconcile();
            passes.Add(watch.Elapsed.TotalMilliseconds);
        }

        // The listing's own work around the store, repeated here step by step on the same 10,000 locations.
        var all = database.ListPlans();
        var sorts = new List<double>();
        var groups = new List<double>();
        for (var i = 0; i < 22; i++)
        {
            var watch = Stopwatch.StartNew();
            _ = all.OrderBy(location => location.Folder).ThenBy(location => location.Id.Value, StringComparer.Ordinal).ToList();
            sorts.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            _ = all.GroupBy(location => location.Id).Where(group => group.Count() > 1).ToList();
            groups.Add(watch.Elapsed.TotalMilliseconds);
        }

        var sort = new Stats(sorts.Skip(2));
        var group = new Stats(groups.Skip(2));
        var query = new Stats(fresh.Skip(2));
        var reuse = new Stats(kept.Skip(2));
        var page = new Stats(pages.Skip(2));
        var delta = new Stats(names.Skip(2));
        var changedPage = new Stats(changedPages.Skip(2));
        var pass = new Stats(passes.Skip(1));
        var plans = count.ToString("N0", CultureInfo.InvariantCulture);
        Row($"PostgreSQL, in process: `IPlanStore.ListPlans` read afresh ({plans} rows: query and materialising): p50 / p99", $"{Stats.Ms(query.Median)} / {Stats.Ms(query.P99)}", string.Empty);
        Row($"PostgreSQL, in process: `IPlanStore.ListPlans` with the kept listing (one-row version check): p50 / p99", $"{Stats.Ms(reuse.Median)} / {Stats.Ms(reuse.P99)}", string.Empty);
        Row("PostgreSQL, in process: `IPlanStore.ListPlanNames` after another connection changed one plan (the rows written since): p50 / p99", $"{Stats.Ms(delta.Median)} / {Stats.Ms(delta.P99)}", string.Empty);
        Row("PostgreSQL, in process: `PlanWorkflow.ListPlans` first page after another connection changed one plan: p50 / p99", $"{Stats.Ms(changedPage.Median)} / {Stats.Ms(changedPage.P99)}", "≤ 50 ms");
        Row($"PostgreSQL, in process: the start-up reconciliation of {plans} plans in line (new store and workflow each): p50 / p99", $"{Stats.Ms(pass.Median)} / {Stats.Ms(pass.P99)}", string.Empty);
        Row("PostgreSQL, in process: the listing's sort (state, id) / duplicate check (group by id) of the 10,000 locations: p50 each", $"{Stats.Ms(sort.Median)} / {Stats.Ms(group.Median)}", string.Empty);
        Row($"PostgreSQL, in process: `PlanWorkflow.ListPlans` first page of 100 (warm index): p50 / p99; store calls of the last one", $"{Stats.Ms(page.Median)} / {Stats.Ms(page.P99)}; {inStore}", "≤ 50 ms");
    }

    /// <summary>A change by another machine that moves the listing version and leaves the plan's stamp as it was.</summary>
    private static void Touch(Npgsql.NpgsqlConnection other, string repository, string plan)
    {
        using var command = new Npgsql.NpgsqlCommand("UPDATE mcpplan_plans SET text_version = text_version WHERE repository = @repository AND plan_id = @plan", other);
        command.Parameters.AddWithValue("repository", repository);
        command.Parameters.AddWithValue("plan", plan);
        command.ExecuteNonQuery();
    }

    /// <summary>Keeps a figure and prints it at once, so a run cut short still leaves what it measured.</summary>
    private void Row(string measure, string value, string target)
    {
        rows.Add((measure, value, target));
        output.WriteLine($"| {measure} | {value} | {target} |");
        output.Flush();
    }

    private async Task ClaimsAsync(int processes, int seconds)
    {
        var repository = $"claims-{Guid.NewGuid():N}"[..20];
        using (var database = PostgresPlanStore.Open(Config(repository), _ => null))
        {
            database.ReadClaims();
        }

        var self = Environment.ProcessPath!;
        var assembly = typeof(PostgresBenchmarks).Assembly.Location;
        var workers = Enumerable.Range(0, processes).Select(_ =>
        {
            var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
            foreach (var argument in (string[])(Path.GetFileNameWithoutExtension(self) == "dotnet" ? [assembly] : []))
            {
                start.ArgumentList.Add(argument);
            }

            foreach (var argument in new[] { "pg-claim-worker", "--connection", connection, "--repository", repository, "--seconds", seconds.ToString(CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(argument);
            }

            return Process.Start(start)!;
        }).ToList();
        // Every worker connects first; then all start together, so the measured seconds are all contention.
        foreach (var worker in workers)
        {
            if (await worker.StandardOutput.ReadLineAsync() != "ready")
            {
                throw new InvalidOperationException("a claim worker could not open the store");
            }
        }

        foreach (var worker in workers)
        {
            await worker.StandardInput.WriteLineAsync();
            await worker.StandardInput.FlushAsync();
        }

        var outputs = await Task.WhenAll(workers.Select(worker => worker.StandardOutput.ReadToEndAsync()));
        foreach (var worker in workers)
        {
            await worker.WaitForExitAsync();
            worker.Dispose();
        }

        var latencies = new List<double>();
        long granted = 0, refused = 0, doubles = 0;
        foreach (var line in outputs.SelectMany(text => text.Split('\n', StringSplitOptions.RemoveEmptyEntries)))
        {
            var parts = line.Split(' ');
            switch (parts[0])
            {
                case "claim":
                    latencies.Add(double.Parse(parts[1], CultureInfo.InvariantCulture));
                    break;
                case "totals":
                    granted += long.Parse(parts[1], CultureInfo.InvariantCulture);
                    refused += long.Parse(parts[2], CultureInfo.InvariantCulture);
                    doubles += long.Parse(parts[3], CultureInfo.InvariantCulture);
                    break;
            }
        }

        var stats = new Stats(latencies);
        Row($"PostgreSQL: claim transaction (advisory lock, read, conditional write, commit), {processes} processes × {seconds} s on 8 plans: p50 / p99", $"{Stats.Ms(stats.Median)} / {Stats.Ms(stats.P99)}", "p99 ≤ 20 ms");
        Row($"PostgreSQL: claims granted / refused (plan held) / double grants seen", $"{granted:N0} / {refused:N0} / {doubles}", "double grants 0");
    }

    /// <summary>One worker process: claims a random plan of eight, holds it briefly, releases it; prints each claim's latency.</summary>
    public static int ClaimWorker(string connection, string repository, int seconds)
    {
        // Twenty processes starting at once on a small machine can take longer than Npgsql's 15 s connect timeout.
        using var store = PostgresPlanStore.Open(new PlanServerConfig { Store = new StoreSettings { Kind = StoreKind.Postgres, Connection = connection + ";Timeout=120", Repository = repository } }, _ => null);
        // Warm up (JIT, pool, plans) on a plan of this worker's own, so the measured claims are the steady state.
        for (var warm = 0; warm < 50; warm++)
        {
            using (store.AcquireLock())
            {
                var book = store.ReadClaims();
                var own = new Claim($"warm-{Environment.ProcessId}", book.LastFence + 1, "warm", Environment.ProcessId, Environment.MachineName, "/bench", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
                store.WriteClaims(new ClaimBook(own.Fence, [.. book.Claims, own]));
            }

            using (store.AcquireLock())
            {
                var book = store.ReadClaims();
                store.WriteClaims(book with { Claims = [.. book.Claims.Where(claim => claim.SessionId != "warm" || claim.ProcessId != Environment.ProcessId)] });
            }
        }

        Console.Out.WriteLine("ready");
        Console.Out.Flush();
        _ = Console.In.ReadLine();
        var session = $"{Environment.ProcessId}";
        var random = new Random(Environment.ProcessId);
        var until = DateTime.UtcNow.AddSeconds(seconds);
        long granted = 0, refused = 0, doubles = 0;
        var lines = new System.Text.StringBuilder();
        while (DateTime.UtcNow < until)
        {
            var plan = $"plan-{random.Next(8)}";
            var watch = Stopwatch.StartNew();
            Claim? mine = null;
            using (store.AcquireLock())
            {
                var book = store.ReadClaims();
                var held = book.Claims.Count(claim => claim.PlanId == plan);
                doubles += Math.Max(0, held - 1);
                if (held == 0)
                {
                    mine = new Claim(plan, book.LastFence + 1, session, Environment.ProcessId, Environment.MachineName, "/bench", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
                    store.WriteClaims(new ClaimBook(mine.Fence, [.. book.Claims, mine]));
                }
            }

            watch.Stop();
            lines.Append("claim ").Append(watch.Elapsed.TotalMilliseconds.ToString("0.000", CultureInfo.InvariantCulture)).Append('\n');
            if (mine is null)
            {
                refused++;
                continue;
            }

            granted++;
            Thread.Sleep(random.Next(1, 5));
            using (store.AcquireLock())
            {
                var book = store.ReadClaims();
                store.WriteClaims(book with { Claims = [.. book.Claims.Where(claim => claim.Fence != mine.Fence)] });
            }
        }

        Console.Out.Write(lines);
        Console.Out.WriteLine($"totals {granted} {refused} {doubles}");
        return 0;
    }

    /// <summary>A plan written (heard by servers and boards), or with <paramref name="claims"/> a claim taken (heard by boards alone).</summary>
    private async Task NotificationsAsync(int changes, bool claims)
    {
        var repository = $"notify-{Guid.NewGuid():N}"[..20];
        using var writer = PostgresPlanStore.Open(Config(repository), _ => null);
        using var listenerStore = PostgresPlanStore.Open(Config(repository), _ => null);
        var arrived = new SemaphoreSlim(0);
        using var stop = new CancellationTokenSource();
        var listening = new PostgresChangeListener(listenerStore.DataSource, repository, activity: claims).RunAsync(
            _ =>
            {
                arrived.Release();
                return Task.CompletedTask;
            },
            stop.Token);
        await Task.Delay(500);
        var latencies = new List<double>();
        var text = Workspace.PlanText("notified");
        for (var i = 0; i < changes; i++)
        {
            var watch = Stopwatch.StartNew();
            if (claims)
            {
                var now = DateTimeOffset.UtcNow;
                writer.Swap($"notified-{i}", null, new Claim($"notified-{i}", 0, "bench", Environment.ProcessId, "host", "/w", now, now), null);
            }
            else
            {
                using (writer.AcquireLock())
                {
                    writer.WriteText(PlanId.Parse($"notified-{i}"), PlanFolder.Review, text);
                }
            }

            if (!await arrived.WaitAsync(TimeSpan.FromSeconds(5)))
            {
                throw new InvalidOperationException($"change {i} was not notified within 5 s");
            }

            latencies.Add(watch.Elapsed.TotalMilliseconds);
            await Task.Delay(10);
        }

        await stop.CancelAsync();
        try
        {
            await listening;
        }
        catch (OperationCanceledException)
        {
        }

        var stats = new Stats(latencies);
        Row($"PostgreSQL: {(claims ? "claim taken on one connection → a board's LISTEN wake-up" : "change committed on one connection → LISTEN wake-up")} on another ({changes} changes): p50 / p99", $"{Stats.Ms(stats.Median)} / {Stats.Ms(stats.P99)}", "p99 ≤ 1 s");
    }

    private PlanServerConfig Config(string repository) =>
        new() { Store = new StoreSettings { Kind = StoreKind.Postgres, Connection = connection, Repository = repository } };

    private static void Require(string response, string what)
    {
        if (response.Contains("\"isError\":true", StringComparison.Ordinal) || response.Contains("\"error\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{what} failed: {response[..Math.Min(400, response.Length)]}");
        }
    }
}
