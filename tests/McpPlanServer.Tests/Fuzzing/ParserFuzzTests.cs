using System.Diagnostics;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Tests.Fuzzing;

/// <summary>
/// Seeded fuzzing of the parser, the linter and the decoder: generated and mutated markdown (sections, deep nesting,
/// huge lines, unclosed fences, invalid UTF-8). Nothing may throw except a refusal; the slowest input and the most
/// allocated are reported. MCPPLAN_FUZZ_SEED and MCPPLAN_FUZZ_ITERATIONS replay or lengthen a run.
/// </summary>
[Trait("Speed", "Long")]
public sealed class ParserFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void Generated_and_mutated_markdown_never_throws_anything_but_a_refusal()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("MCPPLAN_FUZZ_SEED"), out var configured) ? configured : Environment.TickCount;
        var iterations = int.TryParse(Environment.GetEnvironmentVariable("MCPPLAN_FUZZ_ITERATIONS"), out var count) ? count : 2_000;
        var fuzzer = new MarkdownFuzzer(seed);
        var slowest = TimeSpan.Zero;
        long mostAllocated = 0;
        var refused = 0;
        for (var i = 0; i < iterations; i++)
        {
            var bytes = fuzzer.NextBytes();
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            try
            {
                var text = PlanText.Decode(bytes, 16 * 1024 * 1024);
                var plan = PlanParser.Parse(text);
                var report = PlanLinter.Lint(plan, LintOptions.Default);
                Assert.NotNull(report.Format("fuzz.md"));
            }
            catch (PlanRefusedException)
            {
                refused++;
            }
            catch (Exception error)
            {
                Assert.Fail($"seed {seed}, input {i}: {error.GetType().Name}: {error.Message}");
            }

            watch.Stop();
            slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
            mostAllocated = Math.Max(mostAllocated, GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"seed {seed}, input {i} took {watch.Elapsed.TotalSeconds:0.0} s: a hang");
        }

        output.WriteLine($"parser fuzz: seed {seed}, {iterations} inputs, {refused} refused cleanly, slowest {slowest.TotalMilliseconds:0} ms, most allocated {mostAllocated / 1024 / 1024.0:0.0} MB");
        Assert.True(mostAllocated < 512L * 1024 * 1024, $"seed {seed}: one input allocated {mostAllocated} bytes");
    }
}
