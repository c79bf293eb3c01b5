using System.Globalization;
using System.Text.RegularExpressions;
using McpPlanServer.Core.Records;

namespace McpPlanServer.Core.Acceptance;

/// <summary>
/// Reads test counts from a runner's console output, line by line as it streams (so nothing is lost to the kept tail):
/// the closing lines of dotnet test (VSTest's "Passed! - Failed: 0, Passed: 15 …" per assembly, its "Total tests" block,
/// and Microsoft.Testing.Platform's "Test summary: total: …"), pytest, jest, vitest and cargo test, and go test -v's
/// per-test "--- PASS/FAIL/SKIP" lines, and the plain closing line "N passed, N failed[, N skipped]" any script can print. Counts of several runners (or assemblies, or crates) in one output add up.
/// </summary>
public sealed partial class TestOutputCounter
{
    private readonly Dictionary<string, TestCounts> byRunner = new(StringComparer.Ordinal);
    private (int Total, int Passed, int Failed, int Skipped)? vstestBlock;

    /// <summary>The counts seen so far; null when no runner's summary was recognized.</summary>
    public TestCounts? Counts
    {
        get
        {
            var runners = new Dictionary<string, TestCounts>(byRunner, StringComparer.Ordinal);
            if (vstestBlock is { } block && !runners.ContainsKey("dotnet test"))
            {
                runners["dotnet test"] = new TestCounts(block.Passed, block.Failed, Math.Max(block.Skipped, block.Total - block.Passed - block.Failed), "dotnet test");
            }

            if (runners.Count == 0)
            {
                return null;
            }

            var sum = runners.Values.Aggregate((left, right) => left.Add(right));
            return sum with { Source = string.Join(" + ", runners.Keys.Order(StringComparer.Ordinal)) };
        }
    }

    public static TestCounts? Read(IEnumerable<string> lines)
    {
        var counter = new TestOutputCounter();
        foreach (var line in lines)
        {
            counter.Observe(line);
        }

        return counter.Counts;
    }

    public void Observe(string? raw)
    {
        if (string.IsNullOrEmpty(raw) || raw.Length > 2000)
        {
            return;
        }

        var line = AnsiEscape().Replace(raw, string.Empty).TrimEnd();
        Match match;
        if ((match = DotnetAssembly().Match(line)).Success)
        {
            Add("dotnet test", Int(match, "passed"), Int(match, "failed"), Int(match, "skipped"));
        }
        else if ((match = DotnetPlatform().Match(line)).Success)
        {
            Add("dotnet test", Int(match, "passed"), Int(match, "failed"), Int(match, "skipped"));
        }
        else if ((match = VstestTotal().Match(line)).Success)
        {
            vstestBlock = (Int(match, "n"), 0, 0, 0);
        }
        else if (vstestBlock is { } block && (match = VstestPart().Match(line)).Success)
        {
            var n = Int(match, "n");
            vstestBlock = match.Groups["kind"].Value switch
            {
                "Passed" => block with { Passed = n },
                "Failed" => block with { Failed = n },
                _ => block with { Skipped = n },
            };
        }
        else if ((match = CargoResult().Match(line)).Success)
        {
            Add("cargo test", Int(match, "passed"), Int(match, "failed"), Int(match, "ignored"));
        }
        else if ((match = GoTest().Match(line)).Success)
        {
            var kind = match.Groups["kind"].Value;
            Add("go test", kind == "PASS" ? 1 : 0, kind == "FAIL" ? 1 : 0, kind == "SKIP" ? 1 : 0);
        }
        else if ((match = JestTests().Match(line)).Success)
        {
            var parts = Parts(match.Groups["parts"].Value, ',');
            Set("jest", parts.GetValueOrDefault("passed"), parts.GetValueOrDefault("failed"), parts.GetValueOrDefault("skipped") + parts.GetValueOrDefault("todo"));
        }
        else if ((match = VitestTests().Match(line)).Success)
        {
            var parts = Parts(match.Groups["parts"].Value, '|');
            Set("vitest", parts.GetValueOrDefault("passed"), parts.GetValueOrDefault("failed"), parts.GetValueOrDefault("skipped") + parts.GetValueOrDefault("todo"));
        }
        else if ((match = PlainSummary().Match(line)).Success)
        {
            Set("plain", Int(match, "passed"), Int(match, "failed"), Int(match, "skipped"));
        }
        else if ((match = PytestSummary().Match(line)).Success)
        {
            var parts = Parts(match.Groups["parts"].Value, ',');
            Set("pytest", parts.GetValueOrDefault("passed") + parts.GetValueOrDefault("xpassed"), parts.GetValueOrDefault("failed") + parts.GetValueOrDefault("error") + parts.GetValueOrDefault("errors"), parts.GetValueOrDefault("skipped") + parts.GetValueOrDefault("xfailed"));
        }
    }

    private void Add(string runner, int passed, int failed, int skipped) =>
        byRunner[runner] = byRunner.TryGetValue(runner, out var seen) ? seen.Add(new TestCounts(passed, failed, skipped, runner)) : new TestCounts(passed, failed, skipped, runner);

    /// <summary>Runners that print one summary for the whole run: a later summary replaces an earlier one (watch reruns).</summary>
    private void Set(string runner, int passed, int failed, int skipped) => byRunner[runner] = new TestCounts(passed, failed, skipped, runner);

    private static int Int(Match match, string group) =>
        match.Groups[group].Success && int.TryParse(match.Groups[group].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;

    private static Dictionary<string, int> Parts(string text, char separator)
    {
        var parts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var part in text.Split(separator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var words = part.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length >= 2 && int.TryParse(words[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                parts[words[1].ToLowerInvariant()] = n;
            }
        }

        return parts;
    }

    [GeneratedRegex(@"\x1B\[[0-9;?]*[A-Za-z]")]
    private static partial Regex AnsiEscape();

    [GeneratedRegex(@"^\s*(Passed|Failed)!\s+-\s+Failed:\s*(?<failed>\d+),\s*Passed:\s*(?<passed>\d+),\s*Skipped:\s*(?<skipped>\d+),\s*Total:\s*(?<total>\d+)")]
    private static partial Regex DotnetAssembly();

    [GeneratedRegex(@"^\s*Test summary: total: (?<total>\d+), failed: (?<failed>\d+), succeeded: (?<passed>\d+), skipped: (?<skipped>\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex DotnetPlatform();

    [GeneratedRegex(@"^\s*Total tests: (?<n>\d+)\s*$")]
    private static partial Regex VstestTotal();

    [GeneratedRegex(@"^\s*(?<kind>Passed|Failed|Skipped): (?<n>\d+)\s*$")]
    private static partial Regex VstestPart();

    [GeneratedRegex(@"^test result: (ok|FAILED)\. (?<passed>\d+) passed; (?<failed>\d+) failed; (?<ignored>\d+) ignored;")]
    private static partial Regex CargoResult();

    [GeneratedRegex(@"^\s*--- (?<kind>PASS|FAIL|SKIP): \S")]
    private static partial Regex GoTest();

    [GeneratedRegex(@"^Tests:\s+(?<parts>.*?),?\s*(?<total>\d+) total\s*$")]
    private static partial Regex JestTests();

    [GeneratedRegex(@"^\s*Tests\s+(?<parts>\d+ [a-z]+( \| \d+ [a-z]+)*)\s+\((?<total>\d+)\)\s*$")]
    private static partial Regex VitestTests();

    [GeneratedRegex(@"^([A-Za-z]+: )?(?<passed>\d+) passed, (?<failed>\d+) failed(, (?<skipped>\d+) skipped)?$")]
    private static partial Regex PlainSummary();

    [GeneratedRegex(@"^(=+ )?(?<parts>\d+ (passed|failed|skipped|errors?|xfailed|xpassed|deselected|warnings?)(, \d+ [a-z]+)*) in [\d.]+s( \([^)]*\))?( =+)?$")]
    private static partial Regex PytestSummary();
}
