using McpPlanServer.Core.Evidence;

namespace McpPlanServer.Board;

/// <summary>One step commit's diff, from the same evidence the planner's review_implementation reads.</summary>
internal static class CommitPage
{
    public static string Render(BoardRepository repository, string planId, CommitEvidence commit)
    {
        var body = new Html();
        body.Raw("<nav class=\"crumbs\"><a href=\"/\">Board</a> › ").Text(repository.Name).Raw(" › <a href=\"").Raw(PlanPage.PathOf(repository, planId)).Raw("\">")
            .Text(planId).Raw("</a> › ").Text(commit.Facts.Sha[..Math.Min(12, commit.Facts.Sha.Length)]).Raw("</nav>")
            .Raw("<section class=\"panel\"><h1>").Text(commit.Facts.Message.Split('\n')[0]).Raw("</h1>");
        if (commit.UnplannedFiles.Count > 0)
        {
            body.Raw("<p class=\"warn\">unplanned: ").Text(string.Join(", ", commit.UnplannedFiles)).Raw("</p>");
        }

        body.Raw("<pre class=\"diff\">");
        foreach (var line in commit.Diff.Text.Split('\n'))
        {
            var kind = line.StartsWith('+') ? "add" : line.StartsWith('-') ? "del" : line.StartsWith("@@", StringComparison.Ordinal) ? "hunk" : null;
            body.Raw(kind is null ? "<span>" : $"<span class=\"{kind}\">").Text(line).Raw("</span>\n");
        }

        body.Raw("</pre>");
        if (commit.Diff.Truncated)
        {
            body.Raw("<p class=\"muted\">The diff is longer than this page shows.</p>");
        }

        return PageLayout.Render(planId, "board", body.Raw("</section>").ToString());
    }
}
