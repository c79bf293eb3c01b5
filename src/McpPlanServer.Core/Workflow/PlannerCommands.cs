using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Evidence;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Reviews;

namespace McpPlanServer.Core.Workflow;

/// <summary>The planner's commands: write and revise a plan, answer a blocker, record a review. Each runs under the lock.</summary>
internal sealed class PlannerCommands(WorkflowJournal journal, PlanReader reader, PlanServerConfig config, TimeProvider clock)
{
    private IPlanStore Store => reader.Store;

    public WritePlanResult WritePlan(Actor actor, string id, string text, int? expectedRevision) =>
        journal.Locked(() =>
        {
            var planId = PlanId.Parse(id);
            PlanText.CheckText(text, config.MaxPlanBytes);
            var document = PlanParser.Parse(text);
            var lint = PlanLinter.Lint(document, new LintOptions(config.RequiredSections) { PlansRoot = reader.Store.PlansRoot });
            lint = new LintReport([.. lint.Findings, .. DependencyGraph.Lint(planId.Value, PlanReader.ValidDependencies(document), document.TitleLine, reader.DependenciesOf)]);
            if (lint.HasErrors)
            {
                throw new PlanRefusedException(
                    RefusalCodes.LintErrors,
                    $"The plan has {lint.Summary}; nothing was written. Fix these and call write_plan again:\n{lint.Format(planId + ".md")}");
            }

            var sha = PlanText.Sha256Hex(text);
            var now = clock.GetUtcNow();
            var current = reader.TryLoad(planId);
            if (current is null)
            {
                PlanLifecycle.Require(PlanTransition.Create, actor, planId.Value, null);
                if (expectedRevision is > 0)
                {
                    throw new PlanRefusedException(
                        RefusalCodes.StaleRevision,
                        $"Plan '{planId}' does not exist, so expected_revision {expectedRevision} cannot match. Omit expected_revision to create it.");
                }

                var record = AwaitingApproval(new PlanRecord { Id = planId.Value, TextSha256 = sha, CreatedAt = now }, document, sha, now) with
                {
                    Revision = 1,
                    TextRevision = 1,
                    Timeline = [new TimelineEntry(now, actor.ToName(), "created", $"text revision 1, {lint.Summary}")],
                };
                record = record with { TextWrittenAt = Store.WriteText(planId, PlanFolder.Review, text) };
                Store.WriteRecord(record, journal.Entry(actor, "write_plan", planId.Value, "ok", "created", record.Revision));
                return new WritePlanResult(planId.Value, true, 1, record.State, sha, lint.Warnings, false);
            }

            PlanLifecycle.Require(PlanTransition.Revise, actor, planId.Value, current.State);
            if (expectedRevision is null)
            {
                throw new PlanRefusedException(
                    RefusalCodes.RevisionRequired,
                    $"Plan '{planId}' exists at text revision {current.Record.TextRevision}. To revise it, pass expected_revision={current.Record.TextRevision} (read_plan first if you have not); to create a new plan, choose another id.");
            }

            if (expectedRevision != current.Record.TextRevision)
            {
                throw new PlanRefusedException(
                    RefusalCodes.StaleRevision,
                    $"Plan '{planId}' is at text revision {current.Record.TextRevision}, not {expectedRevision}: someone changed it since you read it. read_plan, merge your changes into the current text, and write again with expected_revision={current.Record.TextRevision}.");
            }

            if (current.TextSha256 == sha && current.Record.TextSha256 == sha)
            {
                // Writing back the text that is there would only bump the revision and, on an active plan, void an
                // approval of the very same text.
                return new WritePlanResult(planId.Value, false, current.Record.TextRevision, current.State, sha, lint.Warnings, false) { Unchanged = true };
            }

            var voided = current.Location.Folder == PlanFolder.Active;
            var revised = AwaitingApproval(current.Record, document, sha, now) with
            {
                Revision = current.Record.Revision + 1,
                TextRevision = current.Record.TextRevision + 1,
                Timeline = [.. current.Record.Timeline, new TimelineEntry(now, actor.ToName(), "revised",
                    $"text revision {current.Record.TextRevision + 1}{(voided ? "; approval voided, back to Review" : string.Empty)}")],
            };

            // Text first, then the move, then the record: a crash in between leaves a text whose hash no approval
            // covers, which every reader treats as unapproved — never an approved text the person did not see.
            revised = revised with { TextWrittenAt = Store.WriteText(planId, current.Location.Folder, text) };
            if (voided)
            {
                Store.Move(planId, PlanFolder.Active, PlanFolder.Review);
            }

            Store.WriteRecord(revised, journal.Entry(actor, "write_plan", planId.Value, "ok", voided ? "revised; approval voided" : "revised", revised.Revision));
            return new WritePlanResult(planId.Value, false, revised.TextRevision, revised.State, sha, lint.Warnings, voided);
        });

    /// <summary>A new text in Review: its hash, title, steps and dependencies (step progress kept where number and title match).</summary>
    private static PlanRecord AwaitingApproval(PlanRecord record, PlanDocument document, string sha, DateTimeOffset now) => record with
    {
        TextSha256 = sha,
        Title = document.Title,
        StepCount = document.Steps.Count,
        DependsOn = PlanReader.ValidDependencies(document),
        Folder = PlanFolder.Review,
        Status = PlanStatus.AwaitingApproval,
        UpdatedAt = now,
        Steps = PlanReader.StepsFor(document, record.Steps),
    };

    public RecordedBlocker AnswerBlocker(Actor actor, string id, int blockerId, string answer) =>
        journal.Locked(() =>
        {
            WorkflowGuards.RequireText(answer, "answer", 20_000);
            var plan = reader.ReadPlan(id);
            PlanLifecycle.Require(PlanTransition.AnswerBlocker, actor, plan.Id.Value, plan.State);
            var blocker = plan.Record.Blockers.FirstOrDefault(candidate => candidate.Id == blockerId)
                ?? throw new PlanRefusedException(
                    RefusalCodes.BlockerNotFound,
                    $"Plan '{plan.Id}' has no blocker {blockerId}. Open blockers: {WorkflowGuards.OpenBlockerList(plan.Record)}.");
            if (!blocker.IsOpen)
            {
                throw new PlanRefusedException(RefusalCodes.BlockerAnswered, $"Blocker {blockerId} of '{plan.Id}' was already answered; read_plan shows the answer.");
            }

            var answered = blocker with { Answer = answer, AnsweredAt = clock.GetUtcNow() };
            var blockers = plan.Record.Blockers.Select(candidate => candidate.Id == blockerId ? answered : candidate).ToList();
            var stillBlocked = blockers.Any(candidate => candidate.IsOpen);
            var saved = journal.Save(plan, actor, "answer_blocker", record => record with
            {
                Blockers = blockers,
                Status = stillBlocked ? PlanStatus.Blocked : PlanStatus.Implementing,
            }, $"blocker {blockerId} answered");
            return new RecordedBlocker(saved, answered);
        });

    public SubmittedReview SubmitReview(Actor actor, string id, ReviewSubmission submission) =>
        journal.Locked(() =>
        {
            WorkflowGuards.RequireText(submission.Summary, "summary", 20_000);
            var plan = reader.ReadPlan(id);
            PlanLifecycle.Require(PlanTransition.SubmitReview, actor, plan.Id.Value, plan.State);
            RequireHandedInCommitHere(plan);
            var iteration = plan.Record.Reviews.Count + 1;
            var items = ReviewChecklist.Items(plan.Document);
            ReviewProblem.ThrowIfAny([.. ReviewChecklist.Problems(items, submission.Answers), .. ReviewScorer.ScoreProblems(submission.Scores, config.Rubric)]);
            var answers = ReviewChecklist.Answer(items, submission.Answers);
            var outcome = ReviewScorer.Score(submission.Scores, submission.Findings, config, iteration, [.. answers.Where(answer => !answer.Met).Select(answer => answer.Item)]);
            var now = clock.GetUtcNow();
            // A passing round closes its minor findings; its major ones stay open (nothing addressed them), so the person's
            // complete refuses until a fix round (request-changes, a commit naming them, a new review) settles them.
            var findings = submission.Findings
                .Select((finding, index) => new Finding($"R{iteration}-F{index + 1}", finding.Severity, finding.Location, finding.Message,
                    outcome.Verdict != ReviewVerdict.Verified || finding.Severity >= FindingSeverity.Major))
                .ToList();
            var review = new ReviewRecord(
                iteration, now, new Dictionary<string, int>(submission.Scores, StringComparer.Ordinal), outcome.WeightedTotal,
                config.Threshold, outcome.Verdict, findings, submission.Summary, plan.Record.HandedInCommit ?? reader.RepositoryFor(plan.Record)?.HeadSha)
            {
                Answers = answers,
            };

            // Findings of earlier rounds are settled by this review: a passing round closes them, a failing one restates its own.
            var earlier = plan.Record.Reviews.Select(old => old with { Findings = old.Findings.Select(f => f with { Open = false }).ToList() });
            var status = outcome.Verdict switch
            {
                ReviewVerdict.Verified => PlanStatus.Verified,
                ReviewVerdict.NeedsHuman => PlanStatus.NeedsHuman,
                _ => PlanStatus.ChangesRequested,
            };
            Store.WriteReviewMarkdown(plan.Id, iteration, ReviewMarkdown.Render(plan.Id.Value, review, outcome, config));
            var saved = journal.Save(plan, actor, "submit_review", record => record with { Reviews = [.. earlier, review], Status = status },
                $"review {iteration}: {outcome.WeightedTotal} → {status.ToWireName()}");
            return new SubmittedReview(review, outcome) { Plan = saved };
        });

    /// <summary>
    /// The verdict binds to the handed-in commit, so the reviewer must be able to read it: on a clone the builder's pushed
    /// commits have not reached (a failed fetch, a forged remote-tracking ref), a review would judge something else.
    /// </summary>
    private void RequireHandedInCommitHere(LoadedPlan plan)
    {
        if (reader.Repository is { } git && plan.Record.HandedInCommit is { } handedIn && !git.Presence([new StepCommitProbe(handedIn, [])])[0].Exists)
        {
            throw new PlanRefusedException(
                RefusalCodes.CommitMissing,
                $"The commit handed in for '{plan.Id}' ({CommitId.Short(handedIn)}) is not in this clone, so a review here would judge something else and nothing was recorded. "
                + "Call review_implementation (it fetches the plan's branch from the remote) until its evidence shows that commit, then submit the review.");
        }
    }
}
