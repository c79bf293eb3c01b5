using McpPlanServer.Core.Paths;

namespace McpPlanServer.Core.Plans;

/// <summary>
/// Lint of the Acceptance Tests section (PL109-PL112): a command is present, files are named, and every file is one the
/// approval may commit: inside the repository (PL005 covers that), outside the plans root and the client settings.
/// </summary>
public static class AcceptanceLint
{
    public const int MaxFiles = 50;

    public static IEnumerable<LintFinding> Findings(PlanDocument plan, string plansRoot)
    {
        if (plan.AcceptanceTests is not { } section)
        {
            yield break;
        }

        if (section.Command is null)
        {
            yield return new(LintSeverity.Error, "PL109", section.Line, "The Acceptance Tests section has no command. Add a line '**Command**: `<how to run the tests>`', e.g. '**Command**: `dotnet test tests/Acceptance`'.");
        }

        if (section.Files.Count == 0)
        {
            yield return new(LintSeverity.Error, "PL110", section.Line, "The Acceptance Tests section names no test file. List each file as '- `tests/acceptance/x_test.py`' and write it with write_acceptance_file.");
        }

        if (section.Files.Count > MaxFiles)
        {
            yield return new(LintSeverity.Error, "PL110", section.Line, $"The Acceptance Tests section names {section.Files.Count} files; the limit is {MaxFiles}. Keep the tests that define done.");
        }

        foreach (var file in section.Files)
        {
            if (RepoRelativePath.IsUnder(file.Path, plansRoot) || Workflow.ProtectedPaths.ClientSettings.Any(guarded => RepoRelativePath.IsUnder(file.Path, guarded)))
            {
                yield return new(LintSeverity.Error, "PL111", file.Line, $"'{file.Path}' is in the plans root or the client settings, which are never committed as tests. Put the acceptance test under the repository's tests, e.g. tests/acceptance/.");
            }
        }

        foreach (var duplicate in section.Files.GroupBy(file => file.Path, StringComparer.Ordinal).Where(group => group.Count() > 1))
        {
            yield return new(LintSeverity.Warning, "PL112", duplicate.Skip(1).First().Line, $"'{duplicate.Key}' is listed twice under Acceptance Tests. List each file once.");
        }
    }
}
