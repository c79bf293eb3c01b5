using BenchmarkDotNet.Running;
using McpPlanServer.Bench;

// Usage:
//   dotnet run -c Release --project bench/McpPlanServer.Bench -- all --exe <mcpplan binary> [--runs 21]
//   ... -- startup|tools|plans|writers|board|commit|commit-flat|commit-nested|commit-unsettled|parallel|parallel-listing|http --exe <binary>  one group of process-level figures (commit groups print each step's phases)
//   ... -- listing-breakdown [--plans 10000]              in process: where list_plans spends its time (file store)
//   ... -- journal [--lines 10000] [--decisions 10]       in process: a decision's journal check at a long journal
//   ... -- micro                                           BenchmarkDotNet: parse, lint, read one plan of 1,000
//   ... -- pg-listing --connection "…" --repository ID [--plans 10000]   list_plans breakdown on an imported repository
//   ... -- postgres --exe <binary> --connection "Host=…;Database=…;Username=…" [--processes 20] [--seconds 20] [--no-listing]
//   ... -- team --exe <binary> --connection "…" [--sessions 50] [--machines 5] [--seconds 60] [--plans 10] [--warm-up 0] [--rate 0] [--board]   implementer sessions on clones (--rate: tool calls per session per second; 0 = back to back; --board: a board watches, so activity is announced)
var which = args.Length > 0 ? args[0] : "all";
if (which == "micro")
{
    BenchmarkRunner.Run<PlanBenchmarks>(args: args[1..]);
    return 0;
}

string? Option(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

if (which == "pg-claim-worker")
{
    return PostgresBenchmarks.ClaimWorker(Option("--connection")!, Option("--repository")!, int.Parse(Option("--seconds")!, System.Globalization.CultureInfo.InvariantCulture));
}

if (which == "journal")
{
    // In process, no binary: a decision's journal check with the journal padded to --lines lines.
    new JournalBenchmarks(Console.Out).Run(int.Parse(Option("--lines") ?? "10000", System.Globalization.CultureInfo.InvariantCulture), int.Parse(Option("--decisions") ?? "10", System.Globalization.CultureInfo.InvariantCulture));
    return 0;
}

if (which == "listing-breakdown")
{
    // In process, no binary: list_plans's time per store call and per part, on 10,000 plans in Review/ and on 10,000
    // approved plans with readiness and overlap (the plans and parallel groups' layouts).
    new ListingBreakdown(Console.Out).Run(int.Parse(Option("--plans") ?? "10000", System.Globalization.CultureInfo.InvariantCulture));
    return 0;
}

if (which == "pg-listing")
{
    // The in-process breakdown of list_plans on a repository already in the database (a run of `postgres` imports one).
    var config = new McpPlanServer.Core.Configuration.PlanServerConfig { Store = new McpPlanServer.Core.Configuration.StoreSettings { Kind = McpPlanServer.Core.Configuration.StoreKind.Postgres, Connection = Option("--connection"), Repository = Option("--repository") } };
    new PostgresBenchmarks(string.Empty, Option("--connection")!, Console.Out).Breakdown(config, int.Parse(Option("--plans") ?? "10000", System.Globalization.CultureInfo.InvariantCulture));
    return 0;
}

var exe = Option("--exe");
if (exe is null || !File.Exists(exe))
{
    Console.Error.WriteLine("Pass --exe with the mcpplan binary to measure, e.g. artifacts/native/linux-x64/mcpplan (build/publish-native.sh).");
    return 2;
}

if (which == "postgres")
{
    var processes = int.TryParse(Option("--processes"), out var count) ? count : 20;
    var seconds = int.TryParse(Option("--seconds"), out var duration) ? duration : 20;
    return await new PostgresBenchmarks(Path.GetFullPath(exe), Option("--connection") ?? throw new ArgumentException("--connection is required"), Console.Out).RunAsync(processes, seconds, !args.Contains("--no-listing"));
}

if (which == "team")
{
    int Number(string name, int fallback) => int.TryParse(Option(name), out var value) ? value : fallback;
    return await new TeamBenchmarks(Path.GetFullPath(exe), Option("--connection") ?? throw new ArgumentException("--connection is required"), Console.Out)
        .RunAsync(Number("--sessions", 50), Number("--machines", 5), Number("--seconds", 60), Number("--plans", 10), Number("--warm-up", 0),
            double.TryParse(Option("--rate"), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var rate) ? rate : 0,
            args.Contains("--board"));
}

var runs = int.TryParse(Option("--runs"), out var parsed) ? parsed : 21;
return await new ProcessBenchmarks(Path.GetFullPath(exe), Console.Out).RunAsync(which, runs);
