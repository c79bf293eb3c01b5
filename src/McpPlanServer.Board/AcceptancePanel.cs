using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Board;

/// <summary>
/// The plan's acceptance tests on its page (issue 20): the command, each file in full (as text, never markup), and the
/// last run. The board's approval binds to the hash over text and these files, so the person sees what they approve.
/// </summary>
internal static class AcceptancePanel
{
    public static void Render(Html body, LoadedPlan plan, AcceptanceSet stored)
    {
        if (plan.Document.AcceptanceTests is not { } section)
        {
            return;
        }

        body.Raw("<section class=\"panel\"><h2>Acceptance tests</h2><p><code>").Text(section.Command ?? "(no command)").Raw("</code>");
        if (plan.AcceptanceSha256 is { } hash)
        {
            body.Raw(" · approval hash <code>").Text(hash[..16]).Raw("</code>");
        }

        body.Raw("</p>");
        foreach (var path in section.Files)
        {
            body.Raw("<h3><code>").Text(path.Path).Raw("</code>").Raw(plan.Record.Approval?.PinnedFiles.Contains(path.Path, StringComparer.Ordinal) == true ? " · pinned" : string.Empty).Raw("</h3>");
            if (stored.Find(path.Path) is { } file)
            {
                body.Raw("<pre class=\"plan-text\">").Text(file.Content).Raw("</pre>");
            }
            else
            {
                body.Raw("<p class=\"bad\">not written yet: the plan cannot be approved until the planner writes it</p>");
            }
        }

        if (plan.Record.LastAcceptance is { } run)
        {
            body.Raw("<p>Last run: ").Text($"{run.Summary} on {(run.Commit is null ? "(none)" : Core.Evidence.CommitId.Short(run.Commit))}").Raw("</p>");
        }

        body.Raw("</section>");
    }
}
