using BenchmarkDotNet.Running;
using McpPlanServer.Bench;

// Usage:
//   dotnet run -c Release --project bench/McpPlanServer.Bench -- all --exe <mcpplan binary> [--runs 21]
//   ... -- startup|tools|plans|board|commit|http --exe <binary>  one group of process-level figures
//   ... -- micro                                           BenchmarkDotNet: parse, lint, read one plan of 1,000
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

var exe = Option("--exe");
if (exe is null || !File.Exists(exe))
{
    Console.Error.WriteLine("Pass --exe with the mcpplan binary to measure, e.g. artifacts/native/linux-x64/mcpplan (build/publish-native.sh).");
    return 2;
}

var runs = int.TryParse(Option("--runs"), out var parsed) ? parsed : 21;
return await new ProcessBenchmarks(Path.GetFullPath(exe), Console.Out).RunAsync(which, runs);
