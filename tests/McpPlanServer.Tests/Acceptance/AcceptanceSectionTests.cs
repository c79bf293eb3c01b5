using McpPlanServer.Core.Plans;

namespace McpPlanServer.Tests.Acceptance;

public sealed class AcceptanceSectionTests
{
    private const string Base = """
        # Plan: Greeting

        **Risk level**: Low

        ## Summary
        Greet.

        ## Files to Create
        ### 1. `src/greeting.txt`

        ## Implementation Steps
        1. **Write** `src/greeting.txt`

        ## Success Criteria
        - [ ] `sh tests/acceptance/greeting_test.sh` exits 0

        """;

    private static PlanDocument Parse(string section) => PlanParser.Parse(Base + section);

    private static List<string> Codes(string section, string plansRoot = ".claude/plans") =>
        [.. PlanLinter.Lint(Parse(section), LintOptions.Default with { PlansRoot = plansRoot }).Findings.Select(finding => finding.Code)];

    [Fact]
    public void Command_and_files_are_read_from_the_section()
    {
        var section = Parse("""
            ## Acceptance Tests
            **Command**: `sh tests/acceptance/greeting_test.sh`

            - `tests/acceptance/greeting_test.sh`: the greeting is printed
            - tests/acceptance/data.txt (fixture)
            """).AcceptanceTests;

        Assert.NotNull(section);
        Assert.Equal("sh tests/acceptance/greeting_test.sh", section.Command);
        Assert.Equal(["tests/acceptance/greeting_test.sh", "tests/acceptance/data.txt"], section.Files.Select(file => file.Path));
        Assert.Equal(19, section.Files[0].Line);
    }

    [Fact]
    public void A_plan_without_the_section_has_none_and_no_acceptance_lint()
    {
        Assert.Null(PlanParser.Parse(Base).AcceptanceTests);
        Assert.DoesNotContain(PlanLinter.Lint(PlanParser.Parse(Base), LintOptions.Default).Findings, finding => finding.Code is "PL109" or "PL110" or "PL111" or "PL112");
    }

    [Fact]
    public void A_section_without_command_is_an_error() =>
        Assert.Contains("PL109", Codes("## Acceptance Tests\n- `tests/a_test.sh`\n"));

    [Fact]
    public void A_section_without_files_is_an_error() =>
        Assert.Contains("PL110", Codes("## Acceptance Tests\n**Command**: `sh x.sh`\n"));

    [Theory]
    [InlineData(".claude/plans/Review/x_test.sh", ".claude/plans")]
    [InlineData("plans/t.sh", "plans")]
    [InlineData(".mcp.json", ".claude/plans")]
    [InlineData(".claude/settings.json", ".claude/plans")]
    public void A_file_in_the_plans_root_or_client_settings_is_an_error(string path, string plansRoot) =>
        Assert.Contains("PL111", Codes($"## Acceptance Tests\n**Command**: `sh x.sh`\n\n- `{path}`\n", plansRoot));

    [Theory]
    [InlineData("../outside_test.sh")]
    [InlineData("/etc/passwd_test.sh")]
    [InlineData(".git/hooks/pre-commit.sh")]
    public void A_file_outside_the_repository_is_an_error(string path)
    {
        var codes = Codes($"## Acceptance Tests\n**Command**: `sh x.sh`\n\n- `{path}`\n");
        Assert.Contains("PL005", codes);
        Assert.Empty(Parse($"## Acceptance Tests\n**Command**: `sh x.sh`\n\n- `{path}`\n").AcceptanceTests!.Files);
    }

    [Fact]
    public void A_file_listed_twice_is_a_warning() =>
        Assert.Contains("PL112", Codes("## Acceptance Tests\n**Command**: `sh x.sh`\n\n- `tests/a_test.sh`\n- `tests/a_test.sh`\n"));

    [Fact]
    public void A_complete_section_has_no_findings() =>
        Assert.Empty(Codes("## Acceptance Tests\n**Command**: `sh tests/acceptance/greeting_test.sh`\n\n- `tests/acceptance/greeting_test.sh`\n"));
}
