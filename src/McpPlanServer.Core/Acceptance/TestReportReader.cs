using System.Globalization;
using System.Xml;
using McpPlanServer.Core.Records;

namespace McpPlanServer.Core.Acceptance;

/// <summary>
/// Reads test counts from a report file a runner wrote: JUnit XML (<c>testsuites</c>/<c>testsuite</c> with tests,
/// failures, errors, skipped) or Visual Studio's TRX (<c>ResultSummary/Counters</c>). No DTDs, no external entities:
/// the file comes from the tested code and is untrusted. Null for anything else.
/// </summary>
public static class TestReportReader
{
    public static TestCounts? Read(Stream report)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true, MaxCharactersInDocument = 50_000_000 };
        try
        {
            using var reader = XmlReader.Create(report, settings);
            if (reader.MoveToContent() != XmlNodeType.Element)
            {
                return null;
            }

            return reader.LocalName switch
            {
                "testsuites" => JUnitSuites(reader),
                "testsuite" => JUnitSuite(reader),
                "TestRun" => Trx(reader),
                _ => null,
            };
        }
        catch (XmlException)
        {
            return null;
        }
    }

    private static TestCounts? JUnitSuites(XmlReader reader)
    {
        if (reader.GetAttribute("tests") is not null)
        {
            return JUnitSuite(reader);
        }

        TestCounts? sum = null;
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "testsuite" && JUnitSuite(reader) is { } suite)
            {
                sum = sum is null ? suite : sum.Add(suite);
            }
        }

        return sum;
    }

    private static TestCounts? JUnitSuite(XmlReader reader)
    {
        var tests = Int(reader, "tests");
        if (tests is null)
        {
            return null;
        }

        var failed = (Int(reader, "failures") ?? 0) + (Int(reader, "errors") ?? 0);
        var skipped = Int(reader, "skipped") ?? Int(reader, "disabled") ?? 0;
        return new TestCounts(Math.Max(0, tests.Value - failed - skipped), failed, skipped, "junit");
    }

    private static TestCounts? Trx(XmlReader reader)
    {
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Counters")
            {
                var total = Int(reader, "total") ?? 0;
                var passed = Int(reader, "passed") ?? 0;
                var failed = (Int(reader, "failed") ?? 0) + (Int(reader, "error") ?? 0) + (Int(reader, "timeout") ?? 0) + (Int(reader, "aborted") ?? 0);
                return new TestCounts(passed, failed, Math.Max(0, total - passed - failed), "trx");
            }
        }

        return null;
    }

    private static int? Int(XmlReader reader, string attribute) =>
        int.TryParse(reader.GetAttribute(attribute), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
