using McpPlanServer.Core.Paths;
using McpPlanServer.Core.Plans;

namespace McpPlanServer.Core.Drift;

/// <summary>
/// Compares the files a change touched with the files a plan listed. A planned path covers itself and, when it
/// names a folder, everything below it; paths are compared component by component, never by string prefix.
/// </summary>
public static class DriftAnalyzer
{
    public static IReadOnlyList<string> UnplannedFiles(IEnumerable<string> touchedFiles, IReadOnlyList<PlannedFile> plannedFiles) =>
        touchedFiles.Where(file => !IsPlanned(file, plannedFiles)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    public static IReadOnlyList<string> UntouchedPlannedFiles(IReadOnlyList<PlannedFile> plannedFiles, IEnumerable<string> touchedFiles)
    {
        var touched = touchedFiles.ToList();
        return plannedFiles
            .Where(planned => !touched.Any(file => Covers(planned.Path, file)))
            .Select(planned => planned.Path)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    public static bool IsPlanned(string file, IReadOnlyList<PlannedFile> plannedFiles) =>
        plannedFiles.Any(planned => Covers(planned.Path, file));

    private static bool Covers(string plannedPath, string file) => RepoRelativePath.IsUnder(file, plannedPath);
}
