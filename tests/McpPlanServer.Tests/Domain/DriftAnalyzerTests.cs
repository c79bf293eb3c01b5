using McpPlanServer.Core.Drift;
using McpPlanServer.Core.Plans;

namespace McpPlanServer.Tests.Domain;

public sealed class DriftAnalyzerTests
{
    private static readonly PlannedFile[] Planned =
    [
        new("src/auth/jwt.ts", PlannedFileKind.Create, 10),
        new("src/routes", PlannedFileKind.Modify, 20),
    ];

    [Fact]
    public void Files_the_plan_lists_or_contains_are_planned() =>
        Assert.Empty(DriftAnalyzer.UnplannedFiles(["src/auth/jwt.ts", "src/routes/api.ts"], Planned));

    [Fact]
    public void Other_files_are_unplanned_by_component_not_prefix() =>
        Assert.Equal(["src/auth/jwt.ts.bak", "src/routes-old/x.ts"], DriftAnalyzer.UnplannedFiles(["src/auth/jwt.ts.bak", "src/routes-old/x.ts", "src/routes/a.ts"], Planned));

    [Fact]
    public void Planned_files_nobody_touched_are_listed() =>
        Assert.Equal(["src/routes"], DriftAnalyzer.UntouchedPlannedFiles(Planned, ["src/auth/jwt.ts"]));
}
