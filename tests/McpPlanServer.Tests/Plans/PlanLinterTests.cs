using McpPlanServer.Core.Plans;

namespace McpPlanServer.Tests.Plans;

public sealed class PlanLinterTests
{
    private const string Good = """
        # Plan: Good

        **Risk level**: Low

        ## Summary
        Fine.

        ## Files to Create
        ### 1. `src/a.cs`

        ## Implementation Steps
        1. **Write** `src/a.cs`

        ## Success Criteria
        - [ ] `dotnet test` exits 0
        """;

    private static List<string> Codes(string text, LintOptions? options = null) =>
        PlanLinter.Lint(PlanParser.Parse(text), options ?? LintOptions.Default).Findings.Select(finding => finding.Code).ToList();

    [Fact]
    public void A_good_plan_has_no_findings() => Assert.Empty(Codes(Good));

    [Theory]
    [InlineData("# Plan: Good\n", "", "PL001")]
    [InlineData("## Summary\nFine.\n\n", "", "PL002")]
    [InlineData("1. **Write** `src/a.cs`\n", "", "PL003")]
    [InlineData("- [ ] `dotnet test` exits 0\n", "", "PL004")]
    [InlineData("### 1. `src/a.cs`\n", "### 1. ../x.cs\n", "PL005")]
    [InlineData("- [ ] `dotnet test` exits 0\n", "- [ ] Everything works properly\n", "PL101")]
    [InlineData("1. **Write** `src/a.cs`\n", "1. **Write** `src/a.cs`\n2. Tidy up\n", "PL102")]
    [InlineData("### 1. `src/a.cs`\n", "### 1. `src/a.cs`\n### 2. `src/unused.cs`\n", "PL103")]
    [InlineData("**Risk level**: Low\n", "", "PL104")]
    [InlineData("**Risk level**: Low\n", "**Risk level**: spicy\n", "PL104")]
    [InlineData("1. **Write** `src/a.cs`\n", "1. **Write** `src/a.cs`\n2. **Write** `src/a.cs`\n", "PL105")]
    [InlineData("**Risk level**: Low\n", "**Risk level**: Low\n**Depends on**: Not_An_Id\n", "PL106")]
    public void Each_rule_fires_on_its_problem(string replace, string with, string code)
    {
        var good = Good + "\n";
        var text = good.Replace(replace, with, StringComparison.Ordinal);
        Assert.NotEqual(good, text);
        Assert.Contains(code, Codes(text));
    }

    [Theory]
    [InlineData("## Implementation Steps\n1. **Write** `src/a.cs`\n", "PL003")]
    [InlineData("## Success Criteria\n- [ ] `dotnet test` exits 0\n", "PL004")]
    public void A_missing_section_is_reported_once(string section, string quietCode)
    {
        var codes = Codes((Good + "\n").Replace(section, string.Empty, StringComparison.Ordinal));
        Assert.Single(codes, code => code == "PL002");
        Assert.DoesNotContain(quietCode, codes);
    }

    [Fact]
    public void Errors_and_warnings_say_how_to_fix_them()
    {
        var report = PlanLinter.Lint(PlanParser.Parse("no plan at all"), LintOptions.Default);
        Assert.True(report.HasErrors);
        Assert.All(report.Findings, finding => Assert.Matches("(?i)add|start|name|say|use|give|write", finding.Message));
    }

    [Fact]
    public void Findings_are_ordered_by_line()
    {
        var report = PlanLinter.Lint(PlanParser.Parse(RepositoryFiles.Read("examples/broken-plan.md")), LintOptions.Default);
        Assert.Equal(report.Findings.Select(finding => finding.Line).Order().ToArray(), report.Findings.Select(finding => finding.Line).ToArray());
    }

    [Fact]
    public void Required_sections_are_configurable()
    {
        var options = new LintOptions(["Summary", "Implementation Steps", "Success Criteria", "Security Checklist"]);
        Assert.Contains("PL002", Codes(Good, options));
        Assert.DoesNotContain("PL002", Codes(Good, new LintOptions(["Implementation Steps"])));
    }

    [Theory]
    [InlineData("Everything works", true)]
    [InlineData("It works as expected", true)]
    [InlineData("Looks good", true)]
    [InlineData("GET /health returns 200", false)]
    [InlineData("`npm test` exits 0", false)]
    [InlineData("Works for 10,000 rows", false)]
    [InlineData("The export includes a header line", false)]
    public void Vague_criteria_are_those_with_nothing_observable(string criterion, bool vague) =>
        Assert.Equal(vague, PlanLinter.IsVague(criterion));

    [Fact]
    public void A_route_in_a_step_is_not_a_path_outside_the_repository() =>
        Assert.DoesNotContain("PL005", Codes(Good.Replace("1. **Write** `src/a.cs`", "1. **Write** `src/a.cs` serving /api/users", StringComparison.Ordinal)));
}
