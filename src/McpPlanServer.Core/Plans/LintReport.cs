using System.Globalization;
using System.Text;

namespace McpPlanServer.Core.Plans;

/// <summary>The linter's findings in line order, with a summary and a compiler-style text form.</summary>
public sealed record LintReport(IReadOnlyList<LintFinding> Findings)
{
    public IReadOnlyList<LintFinding> Errors => [.. Findings.Where(finding => finding.Severity == LintSeverity.Error)];

    public IReadOnlyList<LintFinding> Warnings => [.. Findings.Where(finding => finding.Severity == LintSeverity.Warning)];

    public bool HasErrors => Findings.Any(finding => finding.Severity == LintSeverity.Error);

    public string Summary => $"{Count(Errors.Count, "error")}, {Count(Warnings.Count, "warning")}";

    /// <summary><c>plan.md:12: error PL003: …</c> per finding, then the summary line.</summary>
    public string Format(string fileName)
    {
        var text = new StringBuilder();
        foreach (var finding in Findings)
        {
            text.Append(CultureInfo.InvariantCulture, $"{fileName}:{finding.Line}: {(finding.Severity == LintSeverity.Error ? "error" : "warning")} {finding.Code}: {finding.Message}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"{fileName}: {Summary}\n");
        return text.ToString();
    }

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
