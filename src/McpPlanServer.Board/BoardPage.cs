using System.Globalization;
using McpPlanServer.Core.Lifecycle;

namespace McpPlanServer.Board;

/// <summary>The board: per repository, one column per state (Review, the Active sub-states, Completed) of plan cards.</summary>
internal static class BoardPage
{
    /// <summary>Cards per column before "show all": keeps a 10,000-plan repository's page light.</summary>
    public const int CardsPerLane = 60;

    public static string Render(IReadOnlyList<(BoardRepository Repository, BoardSnapshot Snapshot)> repositories, DateTimeOffset now, bool showAll)
    {
        var body = new Html();
        foreach (var (repository, snapshot) in repositories)
        {
            var total = snapshot.Cards.Count;
            body.Raw("<section class=\"repo\" data-repo=\"").Text(repository.Key).Raw("\"><h2>").Text(repository.Name)
                .Raw(" <small>").Number(total).Raw(total == 1 ? " plan" : " plans").Raw("</small></h2>");
            if (total == 0)
            {
                body.Raw("<p class=\"empty\">No plans yet. The planner creates one with <code>write_plan</code>.</p></section>");
                continue;
            }

            body.Raw("<div class=\"lanes\">");
            foreach (var lane in BoardLane.All)
            {
                var cards = snapshot.In(lane);
                body.Raw("<div class=\"lane lane-").Raw(lane.Key).Raw("\" data-lane=\"").Raw(lane.Key).Raw("\"><h3>").Text(lane.Title)
                    .Raw(" <span class=\"count\">").Number(cards.Count).Raw("</span></h3>");
                var shown = showAll ? cards : [.. cards.OrderByDescending(card => card.Summary.UpdatedAt).Take(CardsPerLane)];
                foreach (var card in shown)
                {
                    Card(body, repository, card, now);
                }

                if (shown.Count < cards.Count)
                {
                    body.Raw("<a class=\"more\" href=\"/?all=1\">").Number(cards.Count - shown.Count).Raw(" more…</a>");
                }

                body.Raw("</div>");
            }

            body.Raw("</div></section>");
        }

        return PageLayout.Render("Board", "board", body.ToString());
    }

    private static void Card(Html body, BoardRepository repository, BoardCard card, DateTimeOffset now)
    {
        var summary = card.Summary;
        body.Raw("<article class=\"card status-").Raw(summary.Status.ToWireName()).Raw("\" data-plan=\"").Text(summary.Id).Raw("\">")
            .Raw("<a class=\"card-title\" href=\"").Raw(PlanPage.PathOf(repository, summary.Id)).Raw("\">").Text(summary.Title ?? summary.Id).Raw("</a>")
            .Raw("<div class=\"card-id\">").Text(summary.Id).Raw(" · <span class=\"status\">").Text(summary.Status.ToWireName().Replace('_', ' ')).Raw("</span></div>")
            .Raw("<dl class=\"facts\">")
            .Raw("<div><dt>steps</dt><dd>").Number(summary.StepsDone).Raw("/").Number(summary.StepCount).Raw("</dd></div>")
            .Raw("<div><dt>score</dt><dd>").Raw(summary.LastScore is { } score ? score.ToString("0.0", CultureInfo.InvariantCulture) : "–").Raw("</dd></div>")
            .Raw("<div><dt>iter</dt><dd>").Number(summary.Iterations).Raw("</dd></div>")
            .Raw("<div><dt>age</dt><dd>").Raw(Html.Age(summary.UpdatedAt, now)).Raw("</dd></div>")
            .Raw("</dl>");
        if (summary.Folder == PlanFolder.Active && !summary.ApprovalValid)
        {
            body.Raw("<div class=\"flag warn\">not approved for its current text</div>");
        }

        if (summary.OpenBlockers > 0)
        {
            body.Raw("<div class=\"flag\">").Number(summary.OpenBlockers).Raw(" open blocker(s)</div>");
        }

        if (card.Claim is { } claim)
        {
            body.Raw("<div class=\"claim\" data-fence=\"").Raw(claim.Fence.ToString(CultureInfo.InvariantCulture)).Raw("\">claimed · ")
                .Text(Path.GetFileName(Path.TrimEndingDirectorySeparator(claim.Worktree))).Raw(" · fence ").Raw(claim.Fence.ToString(CultureInfo.InvariantCulture))
                .Raw(" · ").Raw(Html.Age(claim.RenewedAt, now)).Raw(" ago</div>");
        }

        if (card.DependsOn.Count > 0)
        {
            body.Raw("<div class=\"deps ").Raw(card.Readiness.Ready ? "ready" : "waiting").Raw("\">")
                .Raw(card.Readiness.Ready ? "ready · depends on " : "waiting for ")
                .Text(card.Readiness.Ready ? string.Join(", ", card.DependsOn) : string.Join(", ", card.Readiness.WaitingFor))
                .Raw("</div>");
        }

        body.Raw("</article>");
    }
}
