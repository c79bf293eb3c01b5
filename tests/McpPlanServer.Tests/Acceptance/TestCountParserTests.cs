using System.Text;
using McpPlanServer.Core.Acceptance;
using McpPlanServer.Core.Records;

namespace McpPlanServer.Tests.Acceptance;

/// <summary>
/// Each runner's closing lines as the real runner printed them (pytest 7.2, jest and vitest from npm, cargo test, go test -v,
/// each on a file with two passing tests, one failing and one skipped), and a JUnit XML file pytest wrote.
/// </summary>
public sealed class TestCountParserTests
{
    private const string PytestOutput = "test_a.py:4: AssertionError\n=========================== short test summary info ============================\nFAILED test_a.py::test_bad - assert 1 == 2\n==================== 1 failed, 2 passed, 1 skipped in 0.10s ====================";

    private const string PytestqOutput = "..s                                                                      [100%]\n2 passed, 1 skipped, 1 deselected in 0.05s";

    private const string JestOutput = "Test Suites: 1 failed, 1 total\nTests:       1 failed, 1 skipped, 2 passed, 4 total\nSnapshots:   0 total\nTime:        2.372 s\nRan all test suites matching a.test.js.";

    private const string VitestOutput = "\n\n\u001b[2m Test Files \u001b[22m \u001b[1m\u001b[31m1 failed\u001b[39m\u001b[22m\u001b[90m (1)\u001b[39m\n\u001b[2m      Tests \u001b[22m \u001b[1m\u001b[31m1 failed\u001b[39m\u001b[22m\u001b[2m | \u001b[22m\u001b[1m\u001b[32m2 passed\u001b[39m\u001b[22m\u001b[2m | \u001b[22m\u001b[33m1 skipped\u001b[39m\u001b[90m (4)\u001b[39m\n\u001b[2m   Start at \u001b[22m 13:23:25\n\u001b[2m   Duration \u001b[22m 1.56s\u001b[2m (transform 84ms, setup 0ms, import 148ms, tests 35ms, environment 0ms)\u001b[22m";

    private const string CargoOutput = "failures:\n    tests::bad\n\ntest result: FAILED. 2 passed; 1 failed; 1 ignored; 0 measured; 0 filtered out; finished in 1.03s\n\nerror: test failed, to rerun pass `--lib`";

    private const string GoOutput = "=== RUN   TestOne\n--- PASS: TestOne (0.00s)\n=== RUN   TestTwo\n--- PASS: TestTwo (0.00s)\n=== RUN   TestBad\n    a_test.go:5: bad\n--- FAIL: TestBad (0.00s)\n=== RUN   TestSkip\n    a_test.go:6: x\n--- SKIP: TestSkip (0.00s)\nFAIL\nFAIL\texample.com/acc\t0.018s\nFAIL";

    private const string PytestJUnit = "<?xml version=\"1.0\" encoding=\"utf-8\"?><testsuites><testsuite name=\"pytest\" errors=\"0\" failures=\"1\" skipped=\"1\" tests=\"4\" time=\"0.095\" timestamp=\"2026-12-02T13:24:05.099555\" hostname=\"vm\"><testcase classname=\"test_a\" name=\"test_one\" time=\"0.001\" /><testcase classname=\"test_a\" name=\"test_two\" time=\"0.013\" /><testcase classname=\"test_a\" name=\"test_bad\" time=\"0.001\"><failure message=\"assert 1 == 2\">&gt;   def test_bad(): assert 1 == 2\nE   assert 1 == 2\n\ntest_a.py:4: AssertionError</failure></testcase><testcase classname=\"test_a\" name=\"test_skip\" time=\"0.000\"><skipped type=\"pytest.skip\" message=\"x\">/tmp/d20samples/py/test_a.py:5: x</skipped></testcase></testsuite></testsuites>";

    private static TestCounts? Read(string output) => TestOutputCounter.Read(output.Split('\n'));

    [Theory]
    [InlineData(PytestOutput, "pytest", 2, 1, 1)]
    [InlineData(PytestqOutput, "pytest", 2, 0, 1)]
    [InlineData(JestOutput, "jest", 2, 1, 1)]
    [InlineData(VitestOutput, "vitest", 2, 1, 1)]
    [InlineData(CargoOutput, "cargo test", 2, 1, 1)]
    [InlineData(GoOutput, "go test", 2, 1, 1)]
    public void Each_runners_closing_lines_give_its_counts(string output, string source, int passed, int failed, int skipped) =>
        Assert.Equal(new TestCounts(passed, failed, skipped, source), Read(output));

    [Fact]
    public void Dotnet_test_lines_of_several_assemblies_add_up()
    {
        var output = """
            Passed!  - Failed:     0, Passed:    26, Skipped:     0, Total:    26, Duration: 1 s - McpPlanServer.Tests.dll (net10.0)
            Failed!  - Failed:     1, Passed:     2, Skipped:     1, Total:     4, Duration: 40 ms - Other.Tests.dll (net10.0)
            """;
        Assert.Equal(new TestCounts(28, 1, 1, "dotnet test"), Read(output));
    }

    [Fact]
    public void Dotnet_test_platform_summary_is_read() =>
        Assert.Equal(new TestCounts(15, 0, 0, "dotnet test"), Read("Test summary: total: 15, failed: 0, succeeded: 15, skipped: 0, duration: 1.2s"));

    [Fact]
    public void Dotnet_test_total_block_is_read() =>
        Assert.Equal(new TestCounts(3, 1, 0, "dotnet test"), Read("Test Run Failed.\nTotal tests: 4\n     Passed: 3\n     Failed: 1\n Total time: 1.0 Seconds"));

    [Fact]
    public void The_plain_closing_line_is_read() => Assert.Equal(new TestCounts(15, 0, 0, "plain"), Read("acceptance: 15 passed, 0 failed"));

    [Fact]
    public void Output_without_a_summary_has_no_counts() => Assert.Null(Read("Build succeeded.\nok\nall good: 15 tests"));

    [Fact]
    public void A_junit_file_gives_its_counts()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(PytestJUnit));
        Assert.Equal(new TestCounts(2, 1, 1, "junit"), TestReportReader.Read(stream));
    }

    [Fact]
    public void A_junit_file_with_suites_only_adds_them_up()
    {
        const string Xml = "<testsuites><testsuite tests=\"3\" failures=\"1\" errors=\"1\" skipped=\"0\"/><testsuite tests=\"2\" failures=\"0\" skipped=\"1\"/></testsuites>";
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Xml));
        Assert.Equal(new TestCounts(2, 2, 1, "junit"), TestReportReader.Read(stream));
    }

    [Fact]
    public void A_trx_file_gives_its_counts()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(TrxSample.Text));
        Assert.Equal(TrxSample.Expected, TestReportReader.Read(stream));
    }

    [Fact]
    public void A_report_with_a_dtd_or_another_root_is_not_read()
    {
        using var dtd = new MemoryStream(Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><testsuite tests=\"1\">&e;</testsuite>"));
        using var other = new MemoryStream(Encoding.UTF8.GetBytes("<project><tests>3</tests></project>"));
        Assert.Null(TestReportReader.Read(dtd));
        Assert.Null(TestReportReader.Read(other));
    }
}
