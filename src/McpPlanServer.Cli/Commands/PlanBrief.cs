using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Reviews;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Cli.Commands;

/// <summary>
/// What the person reads before deciding on a plan (issue 15 item 6): its title, summary and steps, the linter's
/// findings, and the second seed's checklist. <c>approve</c> prints it before it approves, <c>show</c> with the evidence.
/// </summary>
public static class PlanBrief
{
    public static void Write(TextWriter output, LoadedPlan plan, LintReport lint)
    {
        output.WriteLine($"Plan '{plan.Id}': {plan.Document.Title ?? "(no title)"}");
        if (Summary(plan) is { Length: > 0 } summary)
        {
            output.WriteLine();
            output.WriteLine("Summary");
            foreach (var line in summary.Split('\n'))
            {
                output.WriteLine("  " + line);
            }
        }

        output.WriteLine();
        output.WriteLine($"Implementation steps ({plan.Document.Steps.Count})");
        foreach (var step in plan.Document.Steps)
        {
            output.WriteLine($"  {step.Number}. {step.Title}");
        }

        output.WriteLine();
        output.WriteLine($"Lint: {lint.Summary}");
        foreach (var finding in lint.Findings)
        {
            output.WriteLine($"  line {finding.Line}: {(finding.Severity == LintSeverity.Error ? "error" : "warning")} {finding.Code}: {finding.Message}");
        }

        output.WriteLine();
        output.WriteLine("Before you approve, check:");
        foreach (var item in OwnerChecklist.Items)
        {
            output.WriteLine($"  [ ] {item}");
        }

        output.WriteLine();
    }

    /// <summary>The text of the plan's Summary section (between its heading and the next), trimmed; null when it has none.</summary>
    private static string? Summary(LoadedPlan plan)
    {
        if (plan.Document.Sections.FirstOrDefault(section => section.Key == "summary") is not { } section)
        {
            return null;
        }

        var lines = plan.Text.ReplaceLineEndings("\n").Split('\n');
        var body = lines.Skip(section.Line).Take(Math.Max(0, section.EndLine - section.Line));
        return string.Join('\n', body).Trim();
    }
}
