using System.Text.RegularExpressions;

namespace McpPlanServer.Core.Plans;

/// <summary>
/// Checks a parsed plan. Errors block writing and approval (a plan the implementer cannot follow or verify);
/// warnings advise (a plan that would be better with the fix). Every message says how to fix the finding.
/// </summary>
public static partial class PlanLinter
{
    public static LintReport Lint(PlanDocument plan, LintOptions options)
    {
        var findings = new List<LintFinding>();
        void Error(string code, int line, string message) => findings.Add(new LintFinding(LintSeverity.Error, code, Math.Max(1, line), message));
        void Warn(string code, int line, string message) => findings.Add(new LintFinding(LintSeverity.Warning, code, Math.Max(1, line), message));

        if (string.IsNullOrWhiteSpace(plan.Title))
        {
            Error("PL001", 1, "The plan has no title. Start it with '# Plan: <Feature name>'.");
        }

        // A missing section is reported once: PL002 says so, and PL003/PL004 stay quiet about its empty content.
        var missing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var required in options.RequiredSections)
        {
            var key = PlanParser.SectionKey(required);
            if (!plan.Sections.Any(section => section.Key == key || section.Key.StartsWith(key + " ", StringComparison.Ordinal)))
            {
                missing.Add(key);
                Error("PL002", 1, $"The required section '## {required}' is missing. Add it (the plan_template prompt shows every section).");
            }
        }

        if (plan.Steps.Count == 0 && !missing.Contains(PlanParser.SectionKey("Implementation Steps")))
        {
            Error("PL003", LineOf(plan, "implementation steps"), "There are no implementation steps. Under '## Implementation Steps' write a numbered list: '1. **Step** in `path/to/file`'.");
        }

        if (plan.SuccessCriteria.Count == 0 && !missing.Contains(PlanParser.SectionKey("Success Criteria")))
        {
            Error("PL004", LineOf(plan, "success criteria"), "There are no success criteria. Under '## Success Criteria' add checklist items '- [ ] <observable result>'.");
        }

        foreach (var rejected in plan.RejectedPaths)
        {
            Error("PL005", rejected.Line, $"'{rejected.Raw}' cannot be a file of this repository: {rejected.Reason}");
        }

        foreach (var criterion in plan.SuccessCriteria.Where(criterion => IsVague(criterion.Text)))
        {
            Warn("PL101", criterion.Line, $"The success criterion '{criterion.Text}' is vague. Say how to observe it: a command and its output, a status code, a test name, a number.");
        }

        foreach (var step in plan.Steps.Where(step => step.MentionedPaths.Count == 0))
        {
            Warn("PL102", step.Line, $"Step {step.Number} ('{step.Title}') names no file. Name the files it touches, e.g. 'in `src/app.ts`', so commits can be checked against the plan.");
        }

        foreach (var planned in plan.PlannedFiles.Where(planned => !plan.Steps.Any(step => step.MentionedPaths.Any(path => Mentions(path, planned.Path)))))
        {
            Warn("PL103", planned.Line, $"'{planned.Path}' is listed under Files to {(planned.Kind == PlannedFileKind.Create ? "Create" : "Modify")} but no step mentions it. Name it in the step that changes it, or drop it from the list.");
        }

        if (plan.Metadata.RiskLevel is null)
        {
            Warn("PL104", plan.TitleLine, "No risk level. Add '**Risk level**: Low', 'Medium' or 'High' under the title.");
        }
        else if (!RiskLevel().IsMatch(plan.Metadata.RiskLevel))
        {
            Warn("PL104", plan.TitleLine, $"The risk level '{plan.Metadata.RiskLevel}' should start with Low, Medium or High.");
        }

        foreach (var duplicate in plan.Steps.GroupBy(step => step.Title, StringComparer.OrdinalIgnoreCase).Where(group => group.Count() > 1 && group.Key.Length > 0))
        {
            Warn("PL105", duplicate.Skip(1).First().Line, $"Steps {string.Join(" and ", duplicate.Select(step => step.Number))} have the same title '{duplicate.Key}'. Give each step a distinct title.");
        }

        foreach (var dependency in plan.Metadata.DependsOn.Where(dependency => !PlanId.TryParse(dependency, out _, out _)))
        {
            Warn("PL106", plan.TitleLine, $"'**Depends on**' names '{dependency}', which is not a plan id. Use ids such as auth-jwt, separated by commas.");
        }

        findings.AddRange(AcceptanceLint.Findings(plan, options.PlansRoot));
        return new LintReport([.. findings.OrderBy(finding => finding.Line).ThenBy(finding => finding.Code, StringComparer.Ordinal)]);
    }

    /// <summary>
    /// A criterion is vague when it leans on words like "works" or "properly" and gives nothing to observe:
    /// no number, no quoted text, no code, no status, no test or command named.
    /// </summary>
    public static bool IsVague(string criterion)
    {
        var text = criterion.ToLowerInvariant();
        return VagueWords().IsMatch(text) && !ObservableAnchor().IsMatch(text);
    }

    private static bool Mentions(string mentioned, string planned) =>
        Paths.RepoRelativePath.IsUnder(mentioned, planned)
        || (!mentioned.Contains('/') && string.Equals(mentioned, planned.Split('/')[^1], StringComparison.Ordinal));

    private static int LineOf(PlanDocument plan, string key) =>
        plan.Sections.FirstOrDefault(section => section.Key.StartsWith(key, StringComparison.Ordinal))?.Line ?? 1;

    [GeneratedRegex(@"\b(works?|working|functional|properly|correctly|as expected|looks? (good|fine|right)|is (done|fine|good|fast|complete|ok)|no (bugs|errors|issues)|user[- ]friendly|etc)\b")]
    private static partial Regex VagueWords();

    [GeneratedRegex(@"\d|[""'`]|\b(returns?|status|test|tests|command|exit|log|prints?|shows?|response|header|rejects?|refuses?)\b|/")]
    private static partial Regex ObservableAnchor();

    [GeneratedRegex(@"^\s*(low|medium|med|high|critical)\b", RegexOptions.IgnoreCase)]
    private static partial Regex RiskLevel();
}
