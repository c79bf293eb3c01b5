using System.Globalization;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Reviews;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Board;

/// <summary>
/// One plan: state and the person's decisions, approval and its evidence, lint, the seed's review checklist, success
/// criteria, steps with commits, blockers, verification, reviews, timeline, and the text rendered safely.
/// </summary>
internal static class PlanPage
{
    public static string PathOf(BoardRepository repository, string planId) => $"/r/{Html.Url(repository.Key)}/plans/{Html.Url(planId)}";

    public static string Render(BoardRepository repository, LoadedPlan plan, BoardCard? card, BoardSecurity security, DateTimeOffset now, string? notice, bool noticeIsError)
    {
        var record = plan.Record;
        var id = plan.Id.Value;
        var body = new Html();
        body.Raw("<nav class=\"crumbs\"><a href=\"/\">Board</a> › ").Text(repository.Name).Raw(" › ").Text(id).Raw("</nav>");
        body.Raw("<div class=\"plan-head\"><h1>").Text(record.Title ?? id).Raw("</h1>")
            .Raw("<span class=\"pill status-").Raw(plan.State.Status.ToWireName()).Raw("\">").Text(plan.State.Folder.ToWireName()).Raw(" · ")
            .Text(plan.State.Status.ToWireName().Replace('_', ' ')).Raw("</span></div>");

        body.Raw("<div class=\"plan-grid\"><div class=\"plan-main\">");
        Decisions(body, repository, plan, security);
        Approval(body, plan);
        Readiness(body, card);
        Lint(body, repository, plan);
        Steps(body, repository, plan);
        Blockers(body, record);
        Verification(body, record);
        Reviews(body, record);
        AcceptancePanel.Render(body, plan, repository.Workflow.ReadAcceptance(plan.Id)); // issue 20: what the approval covers besides the text
        body.Raw("<section class=\"panel\"><h2>Plan text</h2><div class=\"plan-text\" id=\"plan-text\">").Raw(PlanMarkdown.ToHtml(plan.Text)).Raw("</div></section>");
        body.Raw("</div><aside class=\"plan-side\">");
        Facts(body, plan, now);
        Checklist(body, plan);
        Timeline(body, record);
        body.Raw("</aside></div>");
        return PageLayout.Render(record.Title ?? id, "board", body.ToString(), notice, noticeIsError);
    }

    private static void Decisions(Html body, BoardRepository repository, LoadedPlan plan, BoardSecurity security)
    {
        var offered = OwnerDecision.All.Where(decision => OwnerDecision.Offered(decision, plan, repository)).ToList();
        body.Raw("<section class=\"panel decisions\"><h2>Your decision</h2>");
        if (offered.Count == 0)
        {
            body.Raw("<p class=\"muted\">").Text(PlanLifecycle.NextStepHint(plan.State, plan.Id.Value)).Raw("</p></section>");
            return;
        }

        var id = plan.Id.Value;
        foreach (var decision in offered)
        {
            body.Raw("<form method=\"post\" class=\"decision decision-").Raw(decision).Raw("\" action=\"").Raw(PathOf(repository, id)).Raw("/").Raw(decision).Raw("\">")
                .Raw("<input type=\"hidden\" name=\"").Raw(BoardSecurity.CsrfField).Raw("\" value=\"").Raw(security.CsrfFor(OwnerDecision.Purpose(repository, id, decision))).Raw("\">");
            switch (decision)
            {
                case OwnerDecision.Approve:
                    // The approval is bound to the text on this page: if it changed since, the domain refuses it.
                    body.Raw("<input type=\"hidden\" name=\"sha256\" value=\"").Text(plan.ApprovalSha256).Raw("\">")
                        .Raw("<button type=\"submit\" class=\"primary\" id=\"approve\">Approve text revision ").Number(plan.Record.TextRevision)
                        .Raw("</button><span class=\"hint\">sha256 <code>").Text(plan.ApprovalSha256[..12]).Raw("</code></span>");
                    break;
                case OwnerDecision.RequestChanges:
                    body.Raw("<label>Request changes<textarea name=\"note\" rows=\"2\" required maxlength=\"20000\" placeholder=\"What should change\"></textarea></label>")
                        .Raw("<button type=\"submit\">Request changes</button>");
                    break;
                case OwnerDecision.Integrate:
                    // The same integration as `mcpplan integrate`: verified commit merged, verification run on the merged tree first.
                    body.Raw("<label>Integrate the verified commit into<input type=\"text\" name=\"into\" maxlength=\"250\" placeholder=\"")
                        .Text(repository.Integrator?.CurrentBranch ?? "branch").Raw("\"></label>")
                        .Raw("<button type=\"submit\" class=\"primary\" id=\"integrate\">Integrate and complete</button>");
                    break;
                case OwnerDecision.Complete:
                    body.Raw("<button type=\"submit\" class=\"primary\">Complete and archive</button>");
                    break;
                default:
                    body.Raw("<label>Abandon<input type=\"text\" name=\"reason\" required maxlength=\"20000\" placeholder=\"Why\"></label>")
                        .Raw("<button type=\"submit\" class=\"danger\">Abandon</button>");
                    break;
            }

            body.Raw("</form>");
        }

        body.Raw("</section>");
    }

    private static void Approval(Html body, LoadedPlan plan)
    {
        body.Raw("<section class=\"panel\"><h2>Approval</h2>");
        if (plan.Record.Approval is not { } approval)
        {
            body.Raw("<p class=\"muted\">Not approved.</p>");
        }
        else
        {
            body.Raw("<dl class=\"kv\"><dt>by</dt><dd>").Text(approval.Approver).Raw("</dd><dt>at</dt><dd>").Raw(Html.Time(approval.At))
                .Raw("</dd><dt>channel</dt><dd>").Text(approval.Channel).Raw("</dd><dt>text</dt><dd>revision ").Number(approval.TextRevision)
                .Raw(", sha256 <code>").Text(approval.TextSha256[..Math.Min(12, approval.TextSha256.Length)]).Raw("</code></dd><dt>base commit</dt><dd><code>")
                .Text(approval.BaseCommit?[..Math.Min(12, approval.BaseCommit.Length)] ?? "(unborn)").Raw("</code></dd><dt>holds</dt><dd>")
                .Raw(plan.ApprovalValid ? "yes, for the current text" : "<strong class=\"bad\">no: the text changed after approval</strong>").Raw("</dd></dl>");
        }

        if (plan.Record.OwnerNote is { } note)
        {
            body.Raw("<p class=\"note\"><strong>Your note:</strong> ").Text(note).Raw("</p>");
        }

        body.Raw("</section>");
    }

    private static void Readiness(Html body, BoardCard? card)
    {
        if (card is null || card.DependsOn.Count == 0)
        {
            return;
        }

        body.Raw("<section class=\"panel\"><h2>Dependencies</h2><p>").Text(string.Join(", ", card.DependsOn)).Raw(" — ")
            .Raw(card.Readiness.Ready ? "<span class=\"good\">all completed: ready</span>" : "<span class=\"bad\">waiting for ")
            .Text(card.Readiness.Ready ? null : string.Join(", ", card.Readiness.WaitingFor)).Raw(card.Readiness.Ready ? string.Empty : "</span>")
            .Raw("</p></section>");
    }

    private static void Lint(Html body, BoardRepository repository, LoadedPlan plan)
    {
        var report = PlanLinter.Lint(plan.Document, new LintOptions(repository.Workflow.Config.RequiredSections));
        body.Raw("<section class=\"panel\"><h2>Lint <small>").Text(report.Summary).Raw("</small></h2>");
        if (report.Findings.Count > 0)
        {
            body.Raw("<ul class=\"lint\">");
            foreach (var finding in report.Findings)
            {
                body.Raw("<li class=\"").Raw(finding.Severity == LintSeverity.Error ? "bad" : "warn").Raw("\"><code>").Text(finding.Code).Raw("</code> line ")
                    .Number(finding.Line).Raw(": ").Text(finding.Message).Raw("</li>");
            }

            body.Raw("</ul>");
        }

        body.Raw("</section>");
    }

    private static void Steps(Html body, BoardRepository repository, LoadedPlan plan)
    {
        var record = plan.Record;
        body.Raw("<section class=\"panel\"><h2>Steps <small>").Number(record.StepsDone).Raw("/").Number(record.Steps.Count).Raw(" done</small></h2><ol class=\"steps\">");
        foreach (var step in record.Steps)
        {
            body.Raw("<li class=\"").Raw(step.Done ? "done" : "todo").Raw("\"><span class=\"step-title\">").Text(step.Title).Raw("</span>");
            foreach (var commit in step.Commits)
            {
                body.Raw("<div class=\"commit\"><a href=\"").Raw(PathOf(repository, plan.Id.Value)).Raw("/commits/").Text(commit.Sha).Raw("\"><code>")
                    .Text(commit.Sha[..Math.Min(12, commit.Sha.Length)]).Raw("</code></a> ").Text(commit.Message.Split('\n')[0])
                    .Raw(" <span class=\"muted\">").Number(commit.Files.Count).Raw(" file(s)</span>");
                if (commit.UnplannedFiles.Count > 0)
                {
                    body.Raw("<div class=\"warn\">unplanned: ").Text(string.Join(", ", commit.UnplannedFiles)).Raw("</div>");
                }

                if (commit.DeviationReason is { } reason)
                {
                    body.Raw("<div class=\"muted\">deviation: ").Text(reason).Raw("</div>");
                }

                body.Raw("</div>");
            }

            body.Raw("</li>");
        }

        body.Raw("</ol></section>");
    }

    private static void Blockers(Html body, PlanRecord record)
    {
        if (record.Blockers.Count == 0)
        {
            return;
        }

        body.Raw("<section class=\"panel\"><h2>Blockers</h2><ul class=\"blockers\">");
        foreach (var blocker in record.Blockers)
        {
            body.Raw("<li><strong>#").Number(blocker.Id).Raw(blocker.Step is { } step ? $" (step {step.ToString(CultureInfo.InvariantCulture)})" : string.Empty)
                .Raw("</strong> ").Text(blocker.Question).Raw("<div class=\"").Raw(blocker.IsOpen ? "bad" : "good").Raw("\">")
                .Raw(blocker.IsOpen ? "open" : "answered: ").Text(blocker.Answer).Raw("</div></li>");
        }

        body.Raw("</ul></section>");
    }

    private static void Verification(Html body, PlanRecord record)
    {
        if (record.LastVerification is not { } verification)
        {
            return;
        }

        body.Raw("<section class=\"panel\"><h2>Verification <small class=\"").Raw(verification.Passed ? "good\">passed" : "bad\">failed").Raw("</small></h2>")
            .Raw("<p><code>").Text(verification.Command).Raw("</code> exit ").Text(verification.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none")
            .Raw(verification.TimedOut ? " (timed out)" : string.Empty).Raw(" in ").Number(verification.DurationMs / 1000.0, "0.0").Raw(" s on commit <code>")
            .Text(verification.HeadSha?[..Math.Min(12, verification.HeadSha.Length)] ?? "(none)").Raw("</code>, ").Raw(Html.Time(verification.At)).Raw("</p>");
        if (verification.OutputTail.Length > 0)
        {
            body.Raw("<pre class=\"output\">").Text(verification.OutputTail).Raw("</pre>");
        }

        body.Raw("</section>");
    }

    private static void Reviews(Html body, PlanRecord record)
    {
        if (record.Reviews.Count == 0)
        {
            return;
        }

        body.Raw("<section class=\"panel\"><h2>Reviews</h2>");
        foreach (var review in record.Reviews.Reverse())
        {
            body.Raw("<div class=\"review\"><h3>Round ").Number(review.Iteration).Raw(": ").Number(review.WeightedTotal).Raw(" / threshold ").Number(review.Threshold)
                .Raw(" <span class=\"pill verdict-").Raw(review.Verdict.ToString().ToLowerInvariant()).Raw("\">").Text(review.Verdict.ToString()).Raw("</span></h3>")
                .Raw("<table class=\"scores\"><tbody>");
            foreach (var (category, score) in review.Scores)
            {
                body.Raw("<tr><th>").Text(category.Replace('_', ' ')).Raw("</th><td><svg class=\"bar\" viewBox=\"0 0 100 8\" preserveAspectRatio=\"none\" aria-hidden=\"true\"><rect class=\"track\" width=\"100\" height=\"8\"/><rect width=\"").Number(Math.Clamp(score, 0, 100)).Raw("\" height=\"8\"/></svg></td><td>").Number(score).Raw("</td></tr>");
            }

            body.Raw("</tbody></table>");
            Answers(body, review.Answers);
            body.Raw("<p>").Text(review.Summary).Raw("</p>");
            if (review.Findings.Count > 0)
            {
                body.Raw("<ul class=\"findings\">");
                foreach (var finding in review.Findings)
                {
                    body.Raw("<li class=\"sev-").Raw(finding.Severity.ToString().ToLowerInvariant()).Raw("\"><code>").Text(finding.Id).Raw("</code> ")
                        .Text(finding.Severity.ToString().ToLowerInvariant()).Raw(" · ").Text(finding.Location).Raw(": ").Text(finding.Message)
                        .Raw(finding.Open ? " <em>open</em>" : " <em>addressed</em>").Raw("</li>");
                }

                body.Raw("</ul>");
            }

            body.Raw("<p class=\"muted\">").Raw(Html.Time(review.At)).Raw(review.HeadSha is { } head ? $" on <code>{Html.Encode(head[..Math.Min(12, head.Length)])}</code>" : string.Empty).Raw("</p></div>");
        }

        body.Raw("</section>");
    }

    /// <summary>Criteria met n/n (C…) and security items met n/n (S…), then each answer with its evidence.</summary>
    private static void Answers(Html body, IReadOnlyList<ChecklistAnswer> answers)
    {
        if (answers.Count == 0)
        {
            return;
        }

        body.Raw("<p class=\"met\">");
        foreach (var (prefix, label) in new[] { ("C", "criteria met"), ("S", "security items met") })
        {
            var group = answers.Where(answer => answer.Item.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            if (group.Count > 0)
            {
                body.Raw("<span class=\"pill\" data-met=\"").Raw(prefix).Raw("\">").Raw(label).Raw(" ")
                    .Number(group.Count(answer => answer.Met)).Raw("/").Number(group.Count).Raw("</span> ");
            }
        }

        body.Raw("</p><ul class=\"answers\">");
        foreach (var answer in answers)
        {
            body.Raw("<li class=\"").Raw(answer.Met ? "met" : "unmet").Raw("\"><code>").Text(answer.Item).Raw("</code> ").Raw(answer.Met ? "met" : "not met")
                .Raw(answer.Text.Length > 0 ? " · " : string.Empty).Text(answer.Text).Raw(": ").Text(answer.Evidence).Raw("</li>");
        }

        body.Raw("</ul>");
    }

    private static void Facts(Html body, LoadedPlan plan, DateTimeOffset now)
    {
        var metadata = plan.Document.Metadata;
        body.Raw("<section class=\"panel\"><h2>Facts</h2><dl class=\"kv\">")
            .Raw("<dt>id</dt><dd><code>").Text(plan.Id.Value).Raw("</code></dd>")
            .Raw("<dt>text</dt><dd>revision ").Number(plan.Record.TextRevision).Raw("</dd>")
            .Raw("<dt>sha256</dt><dd><code class=\"sha\" id=\"sha256\">").Text(plan.TextSha256).Raw("</code></dd>")
            .Raw("<dt>author</dt><dd>").Text(metadata.Author ?? "–").Raw("</dd>")
            .Raw("<dt>risk</dt><dd>").Text(metadata.RiskLevel ?? "–").Raw("</dd>")
            .Raw("<dt>effort</dt><dd>").Text(metadata.EstimatedEffort ?? "–").Raw("</dd>")
            .Raw("<dt>created</dt><dd>").Raw(Html.Time(plan.Record.CreatedAt)).Raw("</dd>")
            .Raw("<dt>updated</dt><dd>").Raw(Html.Age(plan.Record.UpdatedAt, now)).Raw(" ago</dd>")
            .Raw("</dl></section>");
    }

    private static void Checklist(Html body, LoadedPlan plan)
    {
        body.Raw("<section class=\"panel\">");
        if (plan.Location.Folder == PlanFolder.Review)
        {
            // The second seed's questions for the person, while the decision to approve is open.
            body.Raw("<h2>Before you approve</h2><ul class=\"checklist\">");
            foreach (var item in OwnerChecklist.Items)
            {
                body.Raw("<li><label><input type=\"checkbox\"> ").Text(item).Raw("</label></li>");
            }

            body.Raw("</ul>");
        }

        body.Raw("<h2>Success criteria</h2><ul class=\"criteria\">");
        foreach (var criterion in plan.Document.SuccessCriteria)
        {
            body.Raw("<li class=\"").Raw(criterion.Checked ? "done" : "todo").Raw("\">").Text(criterion.Text).Raw("</li>");
        }

        body.Raw("</ul></section>");
    }

    private static void Timeline(Html body, PlanRecord record)
    {
        body.Raw("<section class=\"panel\"><h2>Timeline</h2><ol class=\"timeline\">");
        foreach (var entry in record.Timeline.Reverse())
        {
            body.Raw("<li><time>").Raw(Html.Time(entry.At)).Raw("</time> <strong>").Text(entry.Actor).Raw("</strong> ").Text(entry.Event.Replace('_', ' '));
            if (entry.Detail is { Length: > 0 } detail)
            {
                body.Raw("<div class=\"muted\">").Text(detail.Length > 300 ? detail[..300] + "…" : detail).Raw("</div>");
            }

            body.Raw("</li>");
        }

        body.Raw("</ol></section>");
    }
}
