using McpPlanServer.Core.Plans;

namespace McpPlanServer.Tests.Plans;

/// <summary>The shipped examples stay true: the good ones lint clean, the broken one prints exactly its recorded output.</summary>
public sealed class ExamplesTests
{
    [Theory]
    [InlineData("examples/auth-jwt.md")]
    [InlineData("examples/csv-export.md")]
    public void The_good_examples_have_no_findings(string path)
    {
        var report = PlanLinter.Lint(PlanParser.Parse(RepositoryFiles.Read(path)), LintOptions.Default);
        Assert.Empty(report.Findings);
    }

    [Fact]
    public void The_broken_example_prints_exactly_its_recorded_lint_output()
    {
        var report = PlanLinter.Lint(PlanParser.Parse(RepositoryFiles.Read("examples/broken-plan.md")), LintOptions.Default);
        var expected = RepositoryFiles.Read("examples/broken-plan.lint.txt").ReplaceLineEndings("\n");
        Assert.Equal(expected, report.Format("broken-plan.md"));
        Assert.Equal(["PL001", "PL002", "PL005"], report.Errors.Select(finding => finding.Code).ToArray());
    }

    [Fact]
    public void The_jwt_example_parses_into_its_parts()
    {
        var plan = PlanParser.Parse(RepositoryFiles.Read("examples/auth-jwt.md"));

        Assert.Equal("JWT Authentication", plan.Title);
        Assert.Equal("2026-02-04", plan.Metadata.Created);
        Assert.Equal("Claude Zero", plan.Metadata.Author);
        Assert.Equal("3-4 hours", plan.Metadata.EstimatedEffort);
        Assert.StartsWith("Medium", plan.Metadata.RiskLevel);
        Assert.Equal(7, plan.Steps.Count);
        Assert.Equal("Create the JWT utilities in src/auth/jwt.ts", plan.Steps[0].Title);
        Assert.Equal(["Implement the four functions", "Catch verification errors (return null, never throw)"], plan.Steps[0].SubItems);
        Assert.Equal(["src/auth/jwt.ts"], plan.Steps[0].MentionedPaths);
        Assert.Equal(8, plan.SuccessCriteria.Count);
        Assert.All(plan.SuccessCriteria, criterion => Assert.False(criterion.Checked));
        Assert.Equal(
            ["src/auth/jwt.ts", "src/middleware/auth.ts", "src/db/migrations/20260204_create_refresh_tokens.ts", "tests/auth.test.ts", "src/routes/api.ts", "src/routes/auth.ts", "src/config/env.ts"],
            plan.PlannedFiles.Select(file => file.Path).ToArray());
        Assert.Equal(PlannedFileKind.Modify, plan.PlannedFiles.Single(file => file.Path == "src/routes/api.ts").Kind);
        Assert.Equal(3, plan.Questions.Count);
        Assert.Equal(["JWT secrets leaked", "Token expiry too long", "refresh_tokens grows forever"], plan.Risks);
        Assert.Empty(plan.RejectedPaths);
    }
}
