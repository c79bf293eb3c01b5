using System.Diagnostics;
using McpPlanServer.Core.Plans;

namespace McpPlanServer.Tests.Plans;

public sealed class PlanParserTests
{
    private const string Minimal = """
        # Plan: Minimal

        **Risk level**: Low
        **Depends on**: auth-jwt, `csv-export`
        **Steps**: independent

        ## Summary
        Small.

        ## Implementation Steps
        1. **First** in `src/a.cs`
           - detail one
             - nested detail
        2. Second touches src/b.cs and the route /api/users

        ## Success Criteria
        - [x] `dotnet test` exits 0
        - [ ] The file "a" exists
        """;

    [Fact]
    public void Reads_title_metadata_steps_and_criteria()
    {
        var plan = PlanParser.Parse(Minimal);

        Assert.Equal("Minimal", plan.Title);
        Assert.Equal(1, plan.TitleLine);
        Assert.Equal("Low", plan.Metadata.RiskLevel);
        Assert.Equal(["auth-jwt", "csv-export"], plan.Metadata.DependsOn);
        Assert.True(plan.StepsIndependent);
        Assert.Equal(2, plan.Steps.Count);
        Assert.Equal("First in src/a.cs", plan.Steps[0].Title);
        Assert.Equal(["detail one", "nested detail"], plan.Steps[0].SubItems);
        Assert.Equal(["src/b.cs"], plan.Steps[1].MentionedPaths);
        Assert.True(plan.SuccessCriteria[0].Checked);
        Assert.False(plan.SuccessCriteria[1].Checked);
        Assert.Equal("dotnet test exits 0", plan.SuccessCriteria[0].Text);
    }

    [Fact]
    public void Crlf_and_lf_give_the_same_model() =>
        Assert.Equivalent(PlanParser.Parse(Minimal.ReplaceLineEndings("\n")), PlanParser.Parse(Minimal.ReplaceLineEndings("\r\n")), strict: true);

    [Fact]
    public void A_byte_order_mark_is_ignored() =>
        Assert.Equal("Minimal", PlanParser.Parse("\uFEFF" + Minimal).Title);

    [Theory]
    [InlineData("## implementation steps (sequential)")]
    [InlineData("##   Implementation   Steps   ##")]
    [InlineData("## IMPLEMENTATION STEPS:")]
    public void Heading_case_spacing_and_asides_do_not_matter(string heading)
    {
        var plan = PlanParser.Parse($"# Plan: X\n\n{heading}\n1. Do `a.cs`\n");
        Assert.Single(plan.Steps);
        Assert.Equal("implementation steps", plan.Sections.Single().Key);
    }

    [Fact]
    public void A_heading_inside_a_code_fence_is_not_a_section()
    {
        var plan = PlanParser.Parse("# Plan: X\n\n## Summary\n```md\n## Success Criteria\n- [ ] fake\n```\n");
        Assert.Equal(["summary"], plan.Sections.Select(section => section.Key).ToArray());
        Assert.Empty(plan.SuccessCriteria);
    }

    [Fact]
    public void Risks_and_ampersand_headings_are_matched() =>
        Assert.Equal("risks and mitigation", PlanParser.SectionKey("Risks & Mitigation"));

    [Theory]
    [InlineData("")]
    [InlineData("```\nunclosed fence\n## Summary")]
    [InlineData("| a | b\n|---\n| stray |")]
    [InlineData("<div><script>alert(1)</script>\n# Plan: <b>x</b>")]
    [InlineData("1.\n2.\n-\n- [ ]\n#\n##\n###")]
    [InlineData("- a\n  - b\n    - c\n      - d\n        - e\n          - f\n            - g")]
    public void Malformed_markdown_never_throws(string text)
    {
        var plan = PlanParser.Parse(text);
        var report = PlanLinter.Lint(plan, LintOptions.Default);
        Assert.NotNull(report.Summary);
    }

    [Fact]
    public void A_one_megabyte_line_is_parsed_quickly_enough_to_finish()
    {
        var text = "# Plan: Big\n\n## Summary\n" + new string('x', 1_000_000) + "\n";
        var watch = Stopwatch.StartNew();
        var plan = PlanParser.Parse(text);
        Assert.Equal("Big", plan.Title);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "parsing must not hang");
    }

    [Fact]
    public void Pathological_nesting_is_refused_with_a_clear_code()
    {
        var quotes = "# Plan: x\n\n" + string.Concat(Enumerable.Repeat("> ", 5_000)) + "x\n";
        var refusal = Assert.Throws<McpPlanServer.Core.Workflow.PlanRefusedException>(() => PlanParser.Parse(quotes));
        Assert.Equal("plan_too_deeply_nested", refusal.Code);
        Assert.Contains("Flatten", refusal.Message);
    }

    [Fact]
    public void Repeated_unclosed_links_do_not_make_parsing_quadratic()
    {
        // With Markdig's link parser 20,000 of these took 4.6 s; without it the parse is linear.
        var text = "# Plan: x\n\n## Summary\n" + string.Concat(Enumerable.Repeat("[a](", 60_000)) + "\n";
        var watch = Stopwatch.StartNew();
        PlanParser.Parse(text);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "parsing must not hang");
    }

    [Fact]
    public void Paths_that_leave_the_repository_are_rejected_with_their_line()
    {
        var plan = PlanParser.Parse("# Plan: X\n\n## Files to Modify\n### 1. ../outside.txt\n### 2. /etc/passwd\n### 3. .git/config\n### 4. `src/ok.cs`\n");
        Assert.Equal(["src/ok.cs"], plan.PlannedFiles.Select(file => file.Path).ToArray());
        Assert.Equal(["../outside.txt", "/etc/passwd", ".git/config"], plan.RejectedPaths.Select(path => path.Raw).ToArray());
        Assert.Equal(4, plan.RejectedPaths[0].Line);
    }

    [Fact]
    public void Planned_files_can_be_listed_as_bullets_when_there_are_no_headings()
    {
        var plan = PlanParser.Parse("# Plan: X\n\n## Files to Create\n- `src/new.cs`: the thing\n- docs/guide.md\n");
        Assert.Equal(["src/new.cs", "docs/guide.md"], plan.PlannedFiles.Select(file => file.Path).ToArray());
    }
}
