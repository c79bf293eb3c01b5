using System.Security.Cryptography;
using System.Text;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Diagnostics;
using McpPlanServer.Core.Drift;
using McpPlanServer.Core.Evidence;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Reviews;

namespace McpPlanServer.Core.Workflow;

/// <summary>
/// The use cases of the workflow, shared by the MCP tools and the owner's CLI. Each change runs under the store's
/// cross-process lock as check → change → write → journal; a refusal is journaled and leaves everything as it was.
/// </summary>
public sealed class PlanWorkflow(
    IPlanStore store,
    PlanServerConfig config,
    IRepositoryGateway? repository,
    IVerificationRunner? verifier,
    TimeProvider clock)
{
    public PlanServerConfig Config => config;

    public IPlanStore Store => store;

    private PlanClaims? claims;

    /// <summary>This server session, as a claim holder (the composition root names its worktree).</summary>
    public ClaimHolder Session { get; init; } = ClaimHolder.NewSession(string.Empty);

    public PlanClaims Claims => claims ??= new PlanClaims(this, store, config, clock);

    /// <summary>Issue 19 item 2: pushes each step's commit to the configured remote before it is recorded; null keeps commits local.</summary>
    public IBranchPublisher? Publisher { get; init; }

    /// <summary>Summaries reused between listings while their files are unchanged (one per workflow, so per process).</summary>
    public PlanSummaryIndex Index { get; } = new();

    // ---------------------------------------------------------------- queries

    public IReadOnlyList<PlanSummary> ListPlans(PlanFolder? folder = null) => ListPlans(folder, 0, int.MaxValue).Plans;

    /// <summary>
    /// One page of plans in a stable order (state, then id). Ordering and filtering need only the folder listing,
    /// so records are read for the page alone: a listing costs the same with 10 or 10,000 plans on disk.
    /// </summary>
    public PlanPage ListPlans(PlanFolder? folder, int offset, int limit)
    {
        var all = store.ListPlans();
        var duplicates = Duplicates(all);
        var locations = all
            .Where(location => folder is not { } wanted || location.Folder == wanted)
            .OrderBy(location => location.Folder)
            .ThenBy(location => location.Id.Value, StringComparer.Ordinal)
            .ToList();
        var head = new Lazy<string?>(IndexHead);
        var page = locations.Skip(offset).Take(limit)
            .Select(location => duplicates.TryGetValue(location.Id, out var duplicate) ? Unusable(location, duplicate) : WithCurrentReadiness(SummarizeIndexed(location, head)))
            .OfType<PlanSummary>().ToList();
        Index.Retain(all);
        var next = offset + page.Count < locations.Count ? offset + page.Count : (int?)null;
        return new PlanPage(page, locations.Count, next, [.. store.LinkProblems(includePlanFiles: false), .. DuplicateFiles(duplicates)]);
    }

    /// <summary>
    /// Every file in the plans root that cannot be used, with what is wrong and how to repair it: links, plans in two
    /// folders, and (with <paramref name="readEveryPlan"/>) records and texts that cannot be read. Never throws for one bad file.
    /// </summary>
    public IReadOnlyList<BadFile> BadFiles(bool readEveryPlan)
    {
        var found = new List<BadFile>(store.LinkProblems(includePlanFiles: true));
        var locations = store.ListPlans();
        var duplicates = Duplicates(locations);
        found.AddRange(DuplicateFiles(duplicates));
        if (readEveryPlan)
        {
            foreach (var location in locations.Where(location => !duplicates.ContainsKey(location.Id)))
            {
                try
                {
                    Load(location);
                }
                catch (PlanRefusedException unreadable) when (unreadable.Code != "plan_moved")
                {
                    var file = unreadable.Code == "record_corrupt" ? $".records/{location.Id}.json" : $"{location.Folder}/{location.Id}.md";
                    found.Add(new BadFile($"{store.PlansRoot}/{file}", location.Id.Value, unreadable.Code, unreadable.Message));
                }
            }
        }

        return found;
    }

    /// <summary>Plans found in more than one state folder, with the refusal every change to them gets.</summary>
    private Dictionary<PlanId, PlanRefusedException> Duplicates(IReadOnlyList<PlanLocation> locations) =>
        locations.GroupBy(location => location.Id).Where(group => group.Count() > 1).ToDictionary(
            group => group.Key,
            group => new PlanRefusedException(
                "duplicate_plan",
                $"Plan '{group.Key}' exists in {string.Join(" and ", group.Select(location => location.Folder + "/"))}. Keep the one in the right state and remove the other (a person's decision; the server will not guess)."));

    private IEnumerable<BadFile> DuplicateFiles(Dictionary<PlanId, PlanRefusedException> duplicates) =>
        duplicates.Select(pair => new BadFile($"{store.PlansRoot}/*/{pair.Key}.md", pair.Key.Value, pair.Value.Code, pair.Value.Message));

    private const string UnusablePrefix = "Cannot be used ";

    private static PlanSummary Unusable(PlanLocation location, PlanRefusedException reason)
    {
        var problem = $"{UnusablePrefix}({reason.Code}): {reason.Message}";
        return new PlanSummary(location.Id.Value, null, location.Folder, DefaultStatus(location.Folder), 0, 0, null, 0, 0, 0, false, location.LastWriteTime, problem, problem);
    }

    /// <summary>Which plans exist and where, from the folder listing alone (no text or record read).</summary>
    public IReadOnlyList<PlanLocation> ListLocations() => store.ListPlans();

    /// <summary>
    /// From the index while the plan's files (and, for an active plan, HEAD: git decides its steps and verdict) are as
    /// they were; otherwise read afresh. Unusable plans and plans that moved are never kept.
    /// </summary>
    private PlanSummary? SummarizeIndexed(PlanLocation location, Lazy<string?> head) => Index.Summary(
        location,
        store.Stamp(location),
        () => store.Stamp(location),
        location.Folder == PlanFolder.Active ? head.Value : null,
        () =>
        {
            var found = SummarizeCurrent(location);
            return (found, found is not null && found.Folder == location.Folder && !found.NextAction.StartsWith(UnusablePrefix, StringComparison.Ordinal));
        });

    /// <summary>Readiness depends on other plans' states, which the index key of this plan does not cover: recompute it on
    /// every listing from the dependencies' records (cheap: one record per dependency).</summary>
    private PlanSummary? WithCurrentReadiness(PlanSummary? summary)
    {
        if (summary is null || summary.Folder == PlanFolder.Completed || summary.DependsOn.Length == 0)
        {
            return summary;
        }

        return summary with { Readiness = ReadinessFor(summary.DependsOn.Split(',')) };
    }

    /// <summary>The commit HEAD points at, as part of an active plan's index key; no git, no key part.</summary>
    private string? IndexHead()
    {
        try
        {
            return repository?.HeadSha;
        }
        catch (PlanRefusedException)
        {
            return null;
        }
    }

    /// <summary>A plan the listing saw may move before its record is read (reads take no lock): follow it once.</summary>
    private PlanSummary? SummarizeCurrent(PlanLocation location)
    {
        try
        {
            return Summarize(location);
        }
        catch (PlanRefusedException moved) when (moved.Code == "plan_moved")
        {
            return store.Locate(location.Id) is { } current ? Summarize(current) : null;
        }
    }

    private PlanSummary Summarize(PlanLocation location)
    {
        try
        {
            var record = store.ReadRecord(location.Id);
            if (record is null || record.Folder != location.Folder || record.TextWrittenAt != location.LastWriteTime)
            {
                // Placed, moved or edited by hand: the text is the only truth, so read it to reconcile.
                var plan = Load(location);
                return Summarize(plan.Record, plan.ApprovalValid, location, plan.StaleVerdict) with { Readiness = ReadinessOf(plan.Record, location.Folder), DependsOn = string.Join(',', plan.Record.DependsOn) };
            }

            if (location.Folder == PlanFolder.Active)
            {
                record = BranchTruth.Apply(record, repository);
            }

            return Summarize(record, record.Approval is not null && record.IsApprovedFor(record.TextSha256), location, StaleVerdict(record, location.Folder))
                with { Readiness = ReadinessOf(record, location.Folder), DependsOn = string.Join(',', record.DependsOn) };
        }
        catch (PlanRefusedException unreadable) when (unreadable.Code != "plan_moved")
        {
            // One broken file (a corrupt record, an unreadable text) must not hide every other plan: list it with the
            // reason and the repair. Every change to it is refused with the same reason.
            return Unusable(location, unreadable);
        }
    }

    public LoadedPlan ReadPlan(string id)
    {
        var planId = PlanId.Parse(id);
        try
        {
            return WithReadiness(Load(RequireLocation(planId)));
        }
        catch (PlanRefusedException moved) when (moved.Code == "plan_moved")
        {
            // Moved by another process between locating and reading: locate it again, once.
            return WithReadiness(Load(RequireLocation(planId)));
        }
    }

    private LoadedPlan WithReadiness(LoadedPlan plan) => plan with { Readiness = ReadinessOf(plan.Record, plan.Location.Folder) };

    /// <summary><c>ready</c>, <c>waiting on …</c> or <c>blocked: …</c> for a plan not yet completed; null once it is in Completed/.</summary>
    public string? ReadinessOf(PlanRecord record, PlanFolder folder)
    {
        if (folder == PlanFolder.Completed)
        {
            return null;
        }

        return ReadinessFor(record.DependsOn);
    }

    private string ReadinessFor(IReadOnlyList<string> dependsOn)
    {
        var statuses = new Dictionary<string, PlanStatus>(StringComparer.Ordinal);
        foreach (var dependency in dependsOn)
        {
            if (StatusOf(dependency) is { } status)
            {
                statuses[dependency] = status;
            }
        }

        return DependencyGraph.Readiness(dependsOn, statuses);
    }

    private PlanStatus? StatusOf(string id)
    {
        if (!PlanId.TryParse(id, out var planId, out _) || store.Locate(planId) is not { } location)
        {
            return null;
        }

        try
        {
            var record = store.ReadRecord(planId);
            return record is not null && record.Folder == location.Folder ? record.Status : DefaultStatus(location.Folder);
        }
        catch (PlanRefusedException)
        {
            return DefaultStatus(location.Folder);
        }
    }

    /// <summary>The dependencies a plan's record holds, or null when there is no such plan (for the graph's lint).</summary>
    private IReadOnlyList<string>? DependenciesOf(string id)
    {
        if (!PlanId.TryParse(id, out var planId, out _) || store.Locate(planId) is null)
        {
            return null;
        }

        try
        {
            return store.ReadRecord(planId)?.DependsOn ?? [];
        }
        catch (PlanRefusedException)
        {
            return [];
        }
    }

    private static IReadOnlyList<string> ValidDependencies(PlanDocument document) =>
        [.. document.Metadata.DependsOn.Where(dependency => PlanId.TryParse(dependency, out _, out _)).Distinct(StringComparer.Ordinal)];

    /// <summary>The plan the implementer should work on: the given one, or the only active one.</summary>
    public LoadedPlan ReadActivePlan(string? id)
    {
        if (!string.IsNullOrEmpty(id))
        {
            var plan = ReadPlan(id);
            if (plan.Location.Folder != PlanFolder.Active)
            {
                throw new PlanRefusedException(
                    "wrong_state",
                    $"Plan '{id}' is {plan.State}, not active. {PlanLifecycle.NextStepHint(plan.State, plan.Id.Value)}");
            }

            return plan;
        }

        if (Claims.Live().FirstOrDefault(claim => claim.SessionId == Session.SessionId) is { } mine)
        {
            return ReadPlan(mine.PlanId);
        }

        var locations = store.ListPlans();
        var active = locations.Where(location => location.Folder == PlanFolder.Active).ToList();
        var waiting = locations.Where(location => location.Folder == PlanFolder.Review).Select(location => "mcpplan approve " + location.Id).ToList();
        return active.Count switch
        {
            0 => throw new PlanRefusedException(
                "no_active_plan",
                "No plan is active. A plan becomes active when the owner approves it" +
                (waiting.Count == 0 ? "; no plan is in Review yet: the planner writes one with write_plan." : $" ({string.Join(" or ", waiting.Take(5))}).")),
            1 => Load(active[0]),
            _ => throw new PlanRefusedException(
                "ambiguous_active_plan",
                $"{active.Count} plans are active ({string.Join(", ", active.Select(location => location.Id))}). Pass claim=true to take the next ready one, or plan_id to choose one."),
        };
    }

    /// <summary>Tamper evidence for one plan (or every plan): journal lines and records mcpplan did not write.</summary>
    public IReadOnlyList<TamperFinding> CheckIntegrity(string? id) => store.CheckIntegrity(id is null ? null : PlanId.Parse(id));

    public IReadOnlyList<JournalEntry> ReadJournal(string? id)
    {
        var entries = store.ReadJournal();
        if (string.IsNullOrEmpty(id))
        {
            return entries;
        }

        var planId = PlanId.Parse(id).Value;
        return entries.Where(entry => entry.PlanId == planId).ToList();
    }

    // ---------------------------------------------------------------- planner

    public WritePlanResult WritePlan(Actor actor, string id, string text, int? expectedRevision) =>
        Locked(() =>
        {
            var planId = PlanId.Parse(id);
            PlanText.CheckText(text, config.MaxPlanBytes);
            var document = PlanParser.Parse(text);
            var lint = PlanLinter.Lint(document, new LintOptions(config.RequiredSections));
            lint = new LintReport([.. lint.Findings, .. DependencyGraph.Lint(planId.Value, ValidDependencies(document), document.TitleLine, DependenciesOf)]);
            if (lint.HasErrors)
            {
                throw new PlanRefusedException(
                    "lint_errors",
                    $"The plan has {lint.Summary}; nothing was written. Fix these and call write_plan again:\n{lint.Format(planId + ".md")}");
            }

            var sha = PlanText.Sha256Hex(text);
            var now = clock.GetUtcNow();
            var location = store.Locate(planId);
            if (location is null)
            {
                PlanLifecycle.Require(PlanTransition.Create, actor, planId.Value, null);
                if (expectedRevision is > 0)
                {
                    throw new PlanRefusedException(
                        "stale_revision",
                        $"Plan '{planId}' does not exist, so expected_revision {expectedRevision} cannot match. Omit expected_revision to create it.");
                }

                var record = new PlanRecord
                {
                    Id = planId.Value,
                    Revision = 1,
                    TextRevision = 1,
                    TextSha256 = sha,
                    Title = document.Title,
                    StepCount = document.Steps.Count,
                    DependsOn = ValidDependencies(document),
                    Folder = PlanFolder.Review,
                    Status = PlanStatus.AwaitingApproval,
                    CreatedAt = now,
                    UpdatedAt = now,
                    Steps = StepsFor(document, []),
                    Timeline = [new TimelineEntry(now, actor.ToName(), "created", $"text revision 1, {lint.Summary}")],
                };
                record = record with { TextWrittenAt = store.WriteText(planId, PlanFolder.Review, text) };
                store.WriteRecord(record, Entry(actor, "write_plan", planId.Value, "ok", "created", record.Revision));
                return new WritePlanResult(planId.Value, true, 1, record.State, sha, lint.Warnings, false);
            }

            var current = Load(location);
            PlanLifecycle.Require(PlanTransition.Revise, actor, planId.Value, current.State);
            if (expectedRevision is null)
            {
                throw new PlanRefusedException(
                    "revision_required",
                    $"Plan '{planId}' exists at text revision {current.Record.TextRevision}. To revise it, pass expected_revision={current.Record.TextRevision} (read_plan first if you have not); to create a new plan, choose another id.");
            }

            if (expectedRevision != current.Record.TextRevision)
            {
                throw new PlanRefusedException(
                    "stale_revision",
                    $"Plan '{planId}' is at text revision {current.Record.TextRevision}, not {expectedRevision}: someone changed it since you read it. read_plan, merge your changes into the current text, and write again with expected_revision={current.Record.TextRevision}.");
            }

            if (current.TextSha256 == sha && current.Record.TextSha256 == sha)
            {
                // Writing back the text that is there would only bump the revision and, on an active plan, void an
                // approval of the very same text.
                return new WritePlanResult(planId.Value, false, current.Record.TextRevision, current.State, sha, lint.Warnings, false) { Unchanged = true };
            }

            var voided = current.Location.Folder == PlanFolder.Active;
            var revised = current.Record with
            {
                Revision = current.Record.Revision + 1,
                TextRevision = current.Record.TextRevision + 1,
                TextSha256 = sha,
                Title = document.Title,
                StepCount = document.Steps.Count,
                DependsOn = ValidDependencies(document),
                Folder = PlanFolder.Review,
                Status = PlanStatus.AwaitingApproval,
                UpdatedAt = now,
                Steps = StepsFor(document, current.Record.Steps),
                Timeline = [.. current.Record.Timeline, new TimelineEntry(now, actor.ToName(), "revised",
                    $"text revision {current.Record.TextRevision + 1}{(voided ? "; approval voided, back to Review" : string.Empty)}")],
            };

            // Text first, then the move, then the record: a crash in between leaves a text whose hash no approval
            // covers, which every reader treats as unapproved — never an approved text the person did not see.
            revised = revised with { TextWrittenAt = store.WriteText(planId, current.Location.Folder, text) };
            if (voided)
            {
                store.Move(planId, PlanFolder.Active, PlanFolder.Review);
            }

            store.WriteRecord(revised, Entry(actor, "write_plan", planId.Value, "ok", voided ? "revised; approval voided" : "revised", revised.Revision));
            return new WritePlanResult(planId.Value, false, revised.TextRevision, revised.State, sha, lint.Warnings, voided);
        });

    public Blocker AnswerBlocker(Actor actor, string id, int blockerId, string answer) =>
        Locked(() =>
        {
            RequireText(answer, "answer", 20_000);
            var plan = ReadPlan(id);
            PlanLifecycle.Require(PlanTransition.AnswerBlocker, actor, plan.Id.Value, plan.State);
            var blocker = plan.Record.Blockers.FirstOrDefault(candidate => candidate.Id == blockerId)
                ?? throw new PlanRefusedException(
                    "blocker_not_found",
                    $"Plan '{plan.Id}' has no blocker {blockerId}. Open blockers: {OpenBlockerList(plan.Record)}.");
            if (!blocker.IsOpen)
            {
                throw new PlanRefusedException("blocker_answered", $"Blocker {blockerId} of '{plan.Id}' was already answered; read_plan shows the answer.");
            }

            var now = clock.GetUtcNow();
            var answered = blocker with { Answer = answer, AnsweredAt = now };
            var blockers = plan.Record.Blockers.Select(candidate => candidate.Id == blockerId ? answered : candidate).ToList();
            var stillBlocked = blockers.Any(candidate => candidate.IsOpen);
            Save(plan, actor, "answer_blocker", record => record with
            {
                Blockers = blockers,
                Status = stillBlocked ? PlanStatus.Blocked : PlanStatus.Implementing,
            }, $"blocker {blockerId} answered");
            return answered;
        });

    public (ReviewRecord Review, ReviewOutcome Outcome) SubmitReview(Actor actor, string id, ReviewSubmission submission) =>
        Locked(() =>
        {
            RequireText(submission.Summary, "summary", 20_000);
            var plan = ReadPlan(id);
            PlanLifecycle.Require(PlanTransition.SubmitReview, actor, plan.Id.Value, plan.State);
            var iteration = plan.Record.Reviews.Count + 1;
            var items = ReviewChecklist.Items(plan.Document);
            ReviewProblem.ThrowIfAny([.. ReviewChecklist.Problems(items, submission.Answers), .. ReviewScorer.ScoreProblems(submission.Scores, config.Rubric)]);
            var answers = ReviewChecklist.Answer(items, submission.Answers);
            var outcome = ReviewScorer.Score(submission.Scores, submission.Findings, config, iteration, [.. answers.Where(answer => !answer.Met).Select(answer => answer.Item)]);
            var now = clock.GetUtcNow();
            var findings = submission.Findings
                .Select((finding, index) => new Finding($"R{iteration}-F{index + 1}", finding.Severity, finding.Location, finding.Message, outcome.Verdict != ReviewVerdict.Verified))
                .ToList();
            var review = new ReviewRecord(
                iteration, now, new Dictionary<string, int>(submission.Scores, StringComparer.Ordinal), outcome.WeightedTotal,
                config.Threshold, outcome.Verdict, findings, submission.Summary, plan.Record.HandedInCommit ?? repository?.HeadSha)
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
            store.WriteReviewMarkdown(plan.Id, iteration, ReviewMarkdown.Render(plan.Id.Value, review, outcome, config));
            Save(plan, actor, "submit_review", record => record with { Reviews = [.. earlier, review], Status = status },
                $"review {iteration}: {outcome.WeightedTotal} → {status.ToWireName()}");
            return (review, outcome);
        });

    // ---------------------------------------------------------------- implementer

    public Blocker ReportBlocker(Actor actor, string id, int? step, string question) =>
        Locked(() =>
        {
            RequireText(question, "question", 20_000);
            var plan = ReadPlan(id);
            PlanLifecycle.Require(PlanTransition.ReportBlocker, actor, plan.Id.Value, plan.State);
            if (step is { } number && (number < 1 || number > plan.Document.Steps.Count))
            {
                throw new PlanRefusedException(
                    "unknown_step",
                    $"Plan '{plan.Id}' has steps 1-{plan.Document.Steps.Count}; there is no step {number}. Omit step for a question about the whole plan.");
            }

            var blocker = new Blocker(plan.Record.Blockers.Count + 1, step, question, clock.GetUtcNow(), null, null);
            Save(plan, actor, "report_blocker", record => record with { Blockers = [.. record.Blockers, blocker], Status = PlanStatus.Blocked },
                $"blocker {blocker.Id}{(step is null ? string.Empty : $" on step {step}")}");
            return blocker;
        });

    /// <summary>
    /// Commits one step through git with Plan-Id / Plan-Step trailers and records it. Every check — state, approval,
    /// step order, paths, repository state, drift — happens before the commit; a refusal leaves HEAD, index and
    /// working tree untouched.
    /// </summary>
    public StepCommitOutcome CommitStep(Actor actor, string id, int step, string message, IReadOnlyList<string>? paths, string? deviationReason, IReadOnlyList<string>? addressesFindings, bool includeUnplanned = false) =>
        Locked(() =>
        {
            var git = RequireRepository();
            var plan = ReadPlan(id);
            PlanLifecycle.Require(PlanTransition.CommitStep, actor, plan.Id.Value, plan.State);
            RequireApproved(plan);
            RequireIntact(plan.Id);
            var pendingStep = plan.Record.PendingCommit?.Step;
            plan = AdoptUnrecordedStepCommits(plan, git, actor);
            if (pendingStep == step && plan.Record.PendingCommit is null && BranchPublishing.RetriedCommit(plan, step, git) is { } retried)
            {
                // Issue 19 item 2: the retry after a rejected push: the step's commit was adopted once on the remote.
                return new StepCommitOutcome(plan, retried, plan.Record.Steps[step - 1].Commits[^1].UnplannedFiles, plan.NextStep?.Number);
            }

            if (step < 1 || step > plan.Record.Steps.Count)
            {
                throw new PlanRefusedException("unknown_step", $"Plan '{plan.Id}' has steps 1-{plan.Record.Steps.Count}; there is no step {step}.");
            }

            var progress = plan.Record.Steps[step - 1];
            var fixing = plan.State.Status == PlanStatus.ChangesRequested;

            // Once every step is done, a done step may take further commits before the hand-in: a failed verification
            // (which runs on what is committed) must be fixable by a commit, not only in the working tree.
            var finishing = plan.NextStep is null;
            if (progress.Done && !fixing && !finishing)
            {
                throw new PlanRefusedException(
                    "step_done",
                    $"Step {step} of '{plan.Id}' is already done ({progress.Commits[^1].Sha[..12]}). Commit the next step ({plan.NextStep?.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none left: submit_for_review"}).");
            }

            if (progress.Done && fixing && (addressesFindings is null || addressesFindings.Count == 0))
            {
                throw new PlanRefusedException(
                    "findings_required",
                    $"Step {step} is done; in this fix round a commit to it must name the findings it addresses (addresses_findings). Open findings: {string.Join(", ", plan.Record.OpenFindings.Select(finding => finding.Id))}.");
            }

            if (!progress.Done && !plan.Document.StepsIndependent && plan.NextStep is { } next && next.Number != step)
            {
                throw new PlanRefusedException(
                    "step_out_of_order",
                    $"Step {step} is out of order: step {next.Number} ('{next.Title}') comes first. The plan's steps are sequential unless it says '**Steps**: independent'.{(next.Problem is null ? string.Empty : " " + next.Problem)}");
            }

            var openFindings = plan.Record.OpenFindings.Select(finding => finding.Id).ToHashSet(StringComparer.Ordinal);
            var unknownFindings = (addressesFindings ?? []).Where(finding => !openFindings.Contains(finding)).ToList();
            if (unknownFindings.Count > 0)
            {
                throw new PlanRefusedException(
                    "unknown_finding",
                    $"{string.Join(", ", unknownFindings)} {(unknownFindings.Count == 1 ? "is" : "are")} not open findings of '{plan.Id}'. Open findings: {(openFindings.Count == 0 ? "none" : string.Join(", ", openFindings))}.");
            }

            var approvalTag = ApprovalTag(plan.Record.Approval!);
            var (claim, claimBook) = Claims.ForCommit(plan);
            var trailers = new List<KeyValuePair<string, string>>
            {
                new("Plan-Id", plan.Id.Value),
                new("Plan-Step", step.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("Plan-Approval", approvalTag),
                new("Plan-Claim", claim.Fence.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            };
            trailers.AddRange((addressesFindings ?? []).Select(finding => new KeyValuePair<string, string>("Plan-Addresses", finding)));
            var selection = paths ?? DefaultStepPaths(plan, git, includeUnplanned);
            var prepared = git.Prepare(new StepCommitRequest(selection, store.PlansRoot, message, trailers) { ProtectedPaths = ProtectedPaths.For(store.PlansRoot) });
            var unplanned = DriftAnalyzer.UnplannedFiles(prepared.Files.Select(file => file.Path), plan.Document.PlannedFiles);
            if (unplanned.Count > 0 && config.Drift == DriftPolicy.Block && string.IsNullOrWhiteSpace(deviationReason))
            {
                throw new PlanRefusedException(
                    "drift_blocked",
                    $"This commit touches files the plan does not list: {string.Join(", ", unplanned)}. The drift policy is 'block': pass deviation_reason explaining why, commit only the planned files (paths), or report_blocker so the planner can revise the plan.");
            }

            // The intent goes to disk before the commit exists: after a crash (or a record write that fails), only a commit
            // with exactly this tree, parent and step is adopted as the step; a hand-made one stays outside commit_step.
            Claims.Save(claimBook);
            plan = WriteIntent(plan, actor, new CommitIntent(step, prepared.TreeId ?? string.Empty, prepared.ExpectedHead, clock.GetUtcNow()));
            var committed = git.Commit(prepared);
            FaultInjection.Hit("commit-step:after-git-commit");
            // Issue 19 item 2: on the remote before it is recorded; a refusal here leaves the commit and its intent for the retry.
            Publisher?.Publish(plan.Id.Value, step, committed.Sha);
            var now = clock.GetUtcNow();
            var stepCommit = new StepCommit(committed.Sha, message.Trim(), now, [.. committed.Files.Select(file => file.Path)], unplanned,
                string.IsNullOrWhiteSpace(deviationReason) ? null : deviationReason.Trim(), addressesFindings ?? [])
            {
                IndexStale = !committed.IndexUpdated,
                Approval = approvalTag,
            };
            var kept = progress.Commits.Count == 0 ? [] : KeptOnBranch(progress.Commits, git);
            var dropped = progress.Commits.Count - kept.Count;
            var detail = $"step {step}: {committed.Sha[..12]} ({committed.Files.Count} files{(unplanned.Count > 0 ? $", unplanned: {string.Join(", ", unplanned)}" : string.Empty)})"
                + (committed.IndexUpdated ? string.Empty : "; git's index could not be updated (index.lock held by another process)")
                + (dropped > 0 ? $"; {dropped} earlier commit(s) of the step no longer on the branch dropped" : string.Empty);
            LoadedPlan? saved;
            try
            {
                saved = Save(plan, actor, "commit_step", record => record with
                {
                    Steps = [.. record.Steps.Select(candidate => candidate.Number == step ? candidate with { Done = true, Problem = null, Commits = [.. kept, stepCommit] } : candidate)],
                    Status = fixing ? PlanStatus.ChangesRequested : PlanStatus.Implementing,
                    PendingCommit = null,
                }, detail);
            }
            catch (PlanRefusedException failure)
            {
                // The record may be written and only the journal line lost: then the step is recorded and that is the answer.
                saved = RecordedPlan(plan, committed.Sha) ?? throw new PlanRefusedException(
                    "committed_not_recorded",
                    $"Step {step} WAS committed as {committed.Sha[..12]} (HEAD moved), but the plan record could not be written ({failure.Code}). "
                    + "Nothing is lost: the commit matches the intent recorded before it, so the next commit_step, submit_for_review or server start adopts it as the step. Fix the cause, then read_active_plan.");
            }

            return new StepCommitOutcome(saved, committed, unplanned, saved.NextStep?.Number);
        });

    /// <summary>The Plan-Approval trailer: the first 16 hex digits of the SHA-256 of the approved text.</summary>
    public static string ApprovalTag(Approval approval) => approval.TextSha256[..Math.Min(16, approval.TextSha256.Length)];

    /// <summary>
    /// commit_step's default selection: the changed files the plan lists; unplanned changed files only when the
    /// implementer declares them (<paramref name="includeUnplanned"/>). Configuration and client settings never.
    /// </summary>
    private List<string> DefaultStepPaths(LoadedPlan plan, IRepositoryGateway git, bool includeUnplanned)
    {
        var exclusions = ProtectedPaths.For(store.PlansRoot);
        var changed = git.UncommittedChanges(store.PlansRoot)
            .Select(change => change.Path)
            .Where(path => !exclusions.Any(guarded => Paths.RepoRelativePath.IsUnder(path, guarded)))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var planned = changed.Where(path => DriftAnalyzer.IsPlanned(path, plan.Document.PlannedFiles)).ToList();
        var selection = includeUnplanned ? changed : planned;
        if (selection.Count == 0)
        {
            var unplanned = changed.Except(planned, StringComparer.Ordinal).ToList();
            throw new PlanRefusedException(
                "nothing_to_commit",
                unplanned.Count == 0
                    ? "Nothing to commit: no file the plan lists differs from HEAD. Make the step's changes first."
                    : $"Nothing to commit: no file the plan lists has changed. Changed but not in the plan: {string.Join(", ", unplanned.Take(20))}. Name them in paths, or pass include_unplanned=true (with deviation_reason) to commit them as a declared deviation.");
        }

        return selection;
    }

    private List<StepCommit> KeptOnBranch(IReadOnlyList<StepCommit> commits, IRepositoryGateway git)
    {
        var presence = git.Presence([.. commits.Select(commit => new StepCommitProbe(commit.Sha, []))]).ToDictionary(found => found.Sha, StringComparer.Ordinal);
        return [.. commits.Where(commit => presence.TryGetValue(commit.Sha, out var found) && found.OnBranch)];
    }

    /// <summary>Writes the commit intent into the record. No timeline entry (it is bookkeeping, not an event), but a journal
    /// line like every record revision, so tamper evidence binds this revision too.</summary>
    private LoadedPlan WriteIntent(LoadedPlan plan, Actor actor, CommitIntent intent)
    {
        var record = plan.Record with { PendingCommit = intent, Revision = plan.Record.Revision + 1 };
        store.WriteRecord(record, Entry(actor, "commit_intent", plan.Id.Value, "ok", $"step {intent.Step}: tree {Short(intent.TreeId)} on {Short(intent.ParentSha)}", record.Revision));
        return plan with { Record = record };
    }

    private static string Short(string? sha) => sha is null ? "no commit" : CommitId.Short(sha);

    private LoadedPlan? RecordedPlan(LoadedPlan plan, string sha)
    {
        try
        {
            return store.ReadRecord(plan.Id) is { } record && record.Steps.Any(step => step.Commits.Any(commit => commit.Sha == sha)) ? plan with { Record = record } : null;
        }
        catch (PlanRefusedException)
        {
            return null;
        }
    }

    /// <summary>The evidence for a review: commits per step with diff pages, drift, foreign commits, loose ends.</summary>
    public ImplementationEvidence ReviewImplementation(string id, string? commitSha, int diffOffset, int maxDiffBytes)
    {
        var git = RequireRepository();
        Publisher?.Fetch(); // Issue 19 item 2: the remote's latest before the evidence is read.
        var plan = ReadPlan(id);
        if (plan.Location.Folder == PlanFolder.Review)
        {
            throw new PlanRefusedException("wrong_state", $"Plan '{plan.Id}' is in Review: nothing has been implemented yet. {PlanLifecycle.NextStepHint(plan.State, plan.Id.Value)}");
        }

        if (commitSha is not null)
        {
            commitSha = CommitPrefix.Resolve(commitSha, plan.Record.Steps.SelectMany(step => step.Commits).Select(commit => commit.Sha));
        }

        var baseCommit = plan.Record.Approval?.BaseCommit;
        var commits = git.CommitsSince(baseCommit, 500);
        var recorded = plan.Record.Steps.SelectMany(step => step.Commits).ToDictionary(commit => commit.Sha, StringComparer.Ordinal);
        var bySha = commits.ToDictionary(commit => commit.Sha, StringComparer.Ordinal);
        var presence = BranchTruth.Check([.. recorded.Values], git);
        var approvalTag = plan.Record.Approval is { } approval ? ApprovalTag(approval) : null;
        var warnings = new List<string>();
        var recordedCount = Math.Max(1, recorded.Count);
        var perCommitBudget = commitSha is null ? Math.Max(2_000, maxDiffBytes / recordedCount) : maxDiffBytes;
        var truncated = false;

        var steps = plan.Record.Steps.Select(step => new StepEvidence(
            step.Number,
            step.Title,
            step.Done,
            [.. step.Commits.Where(commit => commitSha is null || commit.Sha == commitSha).Select(commit =>
            {
                var found = presence.GetValueOrDefault(commit.Sha) ?? new StepCommitPresence(commit.Sha, true, true, []);
                var facts = bySha.TryGetValue(commit.Sha, out var listed)
                    ? git.WithFiles(listed)
                    : found.Exists
                        ? git.WithFiles(new CommitFacts(commit.Sha, commit.Message.Split('\n')[0], commit.Message, "?", commit.At, new Dictionary<string, IReadOnlyList<string>>(), []))
                        : new CommitFacts(commit.Sha, commit.Message.Split('\n')[0], commit.Message, "?", commit.At, new Dictionary<string, IReadOnlyList<string>>(), []);
                var page = found.Exists ? git.CommitDiff(commit.Sha, commitSha is null ? 0 : diffOffset, perCommitBudget) : new DiffPage(commit.Sha, string.Empty, 0, 0, null);
                truncated |= page.Truncated;
                var approvalInCommit = facts.Trailer("Plan-Approval") ?? commit.Approval;
                var approvalCurrent = approvalTag is not null && approvalInCommit == approvalTag;
                if (!found.OnBranch)
                {
                    warnings.Add($"Step {step.Number} commit {commit.Sha[..12]} is no longer on the branch: the step is not done.");
                }

                if (found.RevertedPaths.Count > 0)
                {
                    warnings.Add($"Step {step.Number} commit {commit.Sha[..12]}: a later commit put {string.Join(", ", found.RevertedPaths)} back to the content before the step.");
                }

                if (!approvalCurrent)
                {
                    warnings.Add($"Step {step.Number} commit {commit.Sha[..12]} carries Plan-Approval {approvalInCommit ?? "(none)"}, not the approval in force ({approvalTag ?? "none"}): it was made under another approved text or outside commit_step.");
                }

                if (commit.IndexStale)
                {
                    warnings.Add($"Step {step.Number} commit {commit.Sha[..12]} was made while another process held index.lock; git's index did not follow, so check that later commits did not undo it.");
                }

                return new CommitEvidence(facts, commit.UnplannedFiles, commit.DeviationReason, page)
                {
                    OnBranch = found.OnBranch,
                    RevertedPaths = found.RevertedPaths,
                    Approval = approvalInCommit,
                    ApprovalCurrent = approvalCurrent,
                    IndexStale = commit.IndexStale,
                };
            })])
            {
                Problem = step.Problem,
            }).ToList();

        var touched = recorded.Values.SelectMany(commit => commit.Files).Distinct(StringComparer.Ordinal).ToList();
        var outside = commits.Where(commit => !recorded.ContainsKey(commit.Sha)).Select(git.WithFiles).ToList();
        return new ImplementationEvidence(
            plan.Id.Value,
            baseCommit,
            git.HeadSha,
            steps,
            DriftAnalyzer.UntouchedPlannedFiles(plan.Document.PlannedFiles, touched),
            DriftAnalyzer.UnplannedFiles(touched, plan.Document.PlannedFiles),
            outside,
            git.UncommittedChanges(store.PlansRoot),
            [.. plan.Record.Steps.Where(step => !step.Done).Select(step => step.Number)],
            plan.Record.LastVerification,
            truncated
                ? $"Diffs are cut to about {perCommitBudget} characters per commit. For the rest, call review_implementation with commit set to that commit's id and diff_offset set to its next_offset."
                : null,
            plan.Record.Approval,
            plan.ApprovalValid)
        {
            HandedInCommit = plan.Record.HandedInCommit,
            Warnings = [.. warnings.Distinct(StringComparer.Ordinal)],
            Checklist = ReviewChecklist.Items(plan.Document),
        };
    }

    /// <summary>Commits made since approval that do not carry this plan's trailers: someone committed around commit_step.</summary>
    public IReadOnlyList<CommitFacts> CommitsOutsideCommitStep(LoadedPlan plan)
    {
        if (repository is null || plan.Record.Approval is null)
        {
            return [];
        }

        var recorded = plan.Record.Steps.SelectMany(step => step.Commits).Select(commit => commit.Sha).ToHashSet(StringComparer.Ordinal);
        return repository.CommitsSince(plan.Record.Approval?.BaseCommit, 500).Where(commit => !recorded.Contains(commit.Sha)).Select(repository.WithFiles).ToList();
    }

    /// <summary>
    /// A process killed between the git commit and the record write (or a record write that failed) leaves a commit the
    /// record lacks. It is adopted only when it matches the intent commit_step wrote before committing — same step in the
    /// trailers, same tree, same parent — so a commit made by hand with this plan's trailers stays outside commit_step.
    /// </summary>
    private LoadedPlan AdoptUnrecordedStepCommits(LoadedPlan plan, IRepositoryGateway git, Actor actor, bool leavePendingIfUnpublished = false)
    {
        if (plan.Record.PendingCommit is not { } intent)
        {
            return plan;
        }

        var recorded = plan.Record.Steps.SelectMany(step => step.Commits).Select(commit => commit.Sha).ToHashSet(StringComparer.Ordinal);
        var stepText = intent.Step.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var match = git.CommitsSince(plan.Record.Approval?.BaseCommit, 500).FirstOrDefault(commit =>
            !recorded.Contains(commit.Sha)
            && commit.Trailer("Plan-Id") == plan.Id.Value
            && commit.Trailer("Plan-Step") == stepText
            && commit.TreeId == intent.TreeId
            && commit.ParentSha == intent.ParentSha);
        if (match is null || intent.Step < 1 || intent.Step > plan.Record.Steps.Count)
        {
            return plan;
        }

        // Issue 19 item 2: a commit is adopted as done only once it is on the remote (start-up leaves it pending instead).
        if (!BranchPublishing.TryPublish(Publisher, plan.Id.Value, intent.Step, match.Sha, leavePendingIfUnpublished))
        {
            return plan;
        }

        var commit = git.WithFiles(match);
        var files = commit.Files.Select(file => file.Path).ToList();
        var adopted = new StepCommit(commit.Sha, commit.Message.Split("\n\n")[0].Trim(), commit.At, files,
            DriftAnalyzer.UnplannedFiles(files, plan.Document.PlannedFiles), null, commit.Trailers.TryGetValue("Plan-Addresses", out var addressed) ? addressed : [])
        {
            Approval = commit.Trailer("Plan-Approval"),
        };
        return Save(plan, actor, "recover_commit", record => record with
        {
            Steps = [.. record.Steps.Select(step => step.Number == intent.Step ? step with { Done = true, Problem = null, Commits = [.. step.Commits, adopted] } : step)],
            PendingCommit = null,
        }, $"adopted step {intent.Step} commit {commit.Sha[..12]}, which matches the intent recorded before it (made before a crash or a failed record write)");
    }

    private IRepositoryGateway RequireRepository() =>
        repository ?? throw new PlanRefusedException("not_a_repository", "This server runs without a git repository. Start it in (or with --repo pointing at) a git repository.");

    /// <summary>
    /// Hands the implementation in: every step must be done (on the branch, with its changes) and no file the plan lists
    /// may have uncommitted changes. The person's verification command (if configured) runs outside the lock on a clean
    /// checkout of the handed-in commit — never on the working tree — and the result, bound to that commit, is recorded
    /// only if neither the plan nor HEAD changed meanwhile.
    /// </summary>
    public async Task<LoadedPlan> SubmitForReviewAsync(Actor actor, string id, CancellationToken cancellationToken)
    {
        var (before, head) = Locked(() =>
        {
            var plan = ReadPlan(id);
            PlanLifecycle.Require(PlanTransition.SubmitForReview, actor, plan.Id.Value, plan.State);
            RequireApproved(plan);
            RequireIntact(plan.Id);
            if (repository is not null)
            {
                plan = AdoptUnrecordedStepCommits(plan, repository, actor);
            }

            var undone = plan.Record.Steps.Where(step => !step.Done).ToList();
            if (undone.Count > 0)
            {
                var numbers = undone.Select(step => step.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
                var problems = string.Concat(undone.Where(step => step.Problem is not null).Select(step => " " + step.Problem));
                throw new PlanRefusedException(
                    "steps_not_done",
                    $"{(numbers.Count == 1 ? "Step" : "Steps")} {string.Join(", ", numbers)} of '{plan.Id}' {(numbers.Count == 1 ? "is" : "are")} not done.{problems} Commit each with commit_step (or report_blocker if one cannot be done), then hand in.");
            }

            if (repository is not null)
            {
                RequireCommittedPlanFiles(plan, repository);
            }

            return (plan, repository?.HeadSha);
        });

        VerificationResult? verification = null;
        if (verifier is not null && !string.IsNullOrWhiteSpace(config.Verify.Command))
        {
            verification = await verifier.RunAsync(config.Verify.Command, TimeSpan.FromSeconds(config.Verify.TimeoutSeconds), head, cancellationToken);
            if (!verification.Passed && config.Verify.RefuseHandInOnFailure)
            {
                var outcome = verification.TimedOut ? $"timed out after {config.Verify.TimeoutSeconds} s" : $"exited with {verification.ExitCode}";
                throw new PlanRefusedException(
                    "verification_failed",
                    $"The verification command `{verification.Command}` {outcome} on a clean checkout of commit {head?[..12] ?? "(none)"}, so the hand-in was refused and nothing was recorded. Fix the failures and commit the fix with commit_step, then hand in again. Last output:\n{verification.OutputTail}");
            }
        }

        return Locked(() =>
        {
            var plan = ReadPlan(id);
            if (plan.Record.Revision != before.Record.Revision)
            {
                throw new PlanRefusedException(
                    "plan_changed",
                    $"Plan '{plan.Id}' changed while the verification ran (now {plan.State}). read_active_plan, then hand in again.");
            }

            if (repository?.HeadSha is { } now && now != head)
            {
                throw new PlanRefusedException(
                    "head_moved",
                    $"HEAD moved from {head?[..12] ?? "(none)"} to {now[..12]} while the verification ran, so its result is not about what is on the branch now. Hand in again.");
            }

            var note = (verification is null ? "no verification command configured" : $"verification `{verification.Command}` exit {verification.ExitCode} in {verification.DurationMs} ms")
                + (head is null ? string.Empty : $" on commit {head[..12]}");
            return Save(plan, actor, "submit_for_review", record => record with
            {
                Status = PlanStatus.InReview,
                LastVerification = verification ?? record.LastVerification,
                HandedInCommit = head,
            }, note);
        });
    }

    /// <summary>Refuses a hand-in while files the plan lists (or its steps committed) differ from HEAD: the review and the
    /// verification see only commits, so uncommitted work there would be judged by what it is not.</summary>
    private void RequireCommittedPlanFiles(LoadedPlan plan, IRepositoryGateway git)
    {
        var stepFiles = plan.Record.Steps.SelectMany(step => step.Commits).SelectMany(commit => commit.Files).ToHashSet(StringComparer.Ordinal);
        var loose = git.UncommittedChanges(store.PlansRoot)
            .Where(change => stepFiles.Contains(change.Path) || DriftAnalyzer.IsPlanned(change.Path, plan.Document.PlannedFiles))
            .Select(change => $"{change.Path} ({change.State})")
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (loose.Count > 0)
        {
            throw new PlanRefusedException(
                "uncommitted_changes",
                $"Files of plan '{plan.Id}' have uncommitted changes: {string.Join(", ", loose.Take(30))}. The review and the verification see only what is committed: commit them with commit_step (naming the findings they address, in a fix round), or restore them (git restore <file>), then hand in.");
        }
    }

    /// <summary>
    /// Brings records in line with the disk after a crash or a person's <c>mv</c>: a record that lags its plan's folder
    /// is rewritten, and step commits whose record write was lost are adopted. Returns how many plans it changed.
    /// </summary>
    public int Reconcile()
    {
        var changed = 0;
        foreach (var listed in store.ListPlans())
        {
            changed += SkippingBadFiles(() => Locked(() =>
            {
                // Listed before the lock was taken: another process may have moved the plan since.
                if (store.Locate(listed.Id) is not { } location)
                {
                    return 0;
                }

                var stored = store.ReadRecord(location.Id);
                if (stored is { Folder: PlanFolder.Completed, Status: PlanStatus.Completed or PlanStatus.Abandoned } && location.Folder != PlanFolder.Completed)
                {
                    // complete/abandon wrote the record and died before the move: finish the archiving.
                    store.Move(location.Id, location.Folder, PlanFolder.Completed);
                    Journal(Actor.Owner, "reconcile", location.Id.Value, "ok", $"finished archiving ({stored.Status.ToWireName()}) after an interrupted move", stored.Revision);
                    return 1;
                }

                var inLine = stored is not null && stored.Folder == location.Folder && stored.TextWrittenAt == location.LastWriteTime;
                if (stored is null || (inLine && (location.Folder != PlanFolder.Active || repository is null)))
                {
                    // No record (a plan placed by hand is read from its text) or nothing to bring in line.
                    return 0;
                }

                LoadedPlan plan;
                try
                {
                    plan = Load(location);
                }
                catch (PlanRefusedException)
                {
                    return 0;
                }

                var adopted = plan;
                if (repository is not null && plan.Location.Folder == PlanFolder.Active && plan.Record.Approval is not null)
                {
                    adopted = AdoptUnrecordedStepCommits(plan, repository, Actor.Owner, leavePendingIfUnpublished: true);
                }

                if (adopted != plan)
                {
                    return 1;
                }

                if (stored.Folder == plan.Record.Folder && stored.Status == plan.Record.Status && stored.TextSha256 == plan.Record.TextSha256)
                {
                    return 0;
                }

                Save(plan, Actor.Owner, "reconcile", record => record, $"record brought in line with {location.Folder}/ (was {stored.Folder}/{stored.Status.ToWireName()})");
                return 1;
            }));
        }

        return changed;
    }

    /// <summary>
    /// One plan that cannot be read (a corrupt record, a copy in two folders, a link) is left as it is during start-up
    /// reconciliation: <see cref="BadFiles"/> reports it and every change to it is refused, while the rest goes on.
    /// A store that cannot be locked or written at all is still the caller's to handle.
    /// </summary>
    private static int SkippingBadFiles(Func<int> reconcile)
    {
        try
        {
            return reconcile();
        }
        catch (PlanRefusedException bad) when (bad.Code is not ("busy" or "read_only" or "permission_denied"))
        {
            return 0;
        }
    }

    /// <summary>Refuses unless the person approved exactly the current text.</summary>
    public static void RequireApproved(LoadedPlan plan)
    {
        if (plan.Record.Approval is null)
        {
            throw new PlanRefusedException(
                "not_approved",
                $"Plan '{plan.Id}' has no approval (it was placed in Active/ by hand or its approval was lost). The owner approves it with: mcpplan approve {plan.Id}");
        }

        if (!plan.ApprovalValid)
        {
            throw new PlanRefusedException(
                "approval_void",
                $"The text of plan '{plan.Id}' changed after it was approved, so the approval no longer holds. The owner must re-approve the current text: mcpplan approve {plan.Id}");
        }
    }

    // ---------------------------------------------------------------- owner

    /// <summary>The shortest hash prefix the person may give: 8 hex digits (32 bits) make a lucky match on an edited text unlikely.</summary>
    public const int MinimumShaPrefix = 8;

    /// <summary>
    /// Approves the text the person saw: <paramref name="shaPrefix"/> (at least <see cref="MinimumShaPrefix"/> hex
    /// digits of the SHA-256 shown to them) must match the current text, so a revision written between reading and
    /// approving is refused. The channel and its evidence are recorded with the approval.
    /// </summary>
    public LoadedPlan Approve(string id, string approver, string channel, ApprovalEvidence? evidence, string? shaPrefix) =>
        Locked(() =>
        {
            var plan = ReadPlan(id);
            var reapproval = plan.Location.Folder == PlanFolder.Active && !plan.ApprovalValid;
            if (!reapproval)
            {
                PlanLifecycle.Require(PlanTransition.Approve, Actor.Owner, plan.Id.Value, plan.State);
            }

            var lint = PlanLinter.Lint(plan.Document, new LintOptions(config.RequiredSections));
            if (lint.HasErrors)
            {
                throw new PlanRefusedException(
                    "lint_errors",
                    $"Plan '{plan.Id}' has {lint.Summary} and cannot be approved. Ask the planner to fix them (write_plan):\n{lint.Format(plan.Id + ".md")}");
            }

            RequireShownText(plan, shaPrefix);
            RequireIntact(plan.Id);
            var now = clock.GetUtcNow();
            var approval = new Approval(plan.TextSha256, plan.Record.TextRevision, approver, now, repository?.HeadSha, channel, evidence);
            RequirePersonChannelIfRisky(plan, approval);
            if (!reapproval)
            {
                store.Move(plan.Id, PlanFolder.Review, PlanFolder.Active);
                FaultInjection.Hit("approve:after-move");
            }

            return Save(plan, Actor.Owner, "approve", record => record with
            {
                Approval = approval,
                Folder = PlanFolder.Active,
                Status = reapproval && record.Status != PlanStatus.AwaitingApproval ? record.Status : PlanStatus.Implementing,
                OwnerNote = null,
            }, $"approved text revision {plan.Record.TextRevision} (sha256 {plan.TextSha256[..12]}) by {approver} via {channel}{(approval.ChannelWarning is { } warning ? $" (not a person's channel: {warning})" : string.Empty)}");
        });

    /// <summary>Refuses a decision that depends on a record or journal line mcpplan did not write, naming what changed.</summary>
    private void RequireIntact(PlanId id)
    {
        var findings = store.CheckIntegrity(id);
        if (findings.Count > 0)
        {
            throw new PlanRefusedException(
                "tampered",
                $"Plan '{id}' depends on files mcpplan did not write: {string.Join("; ", findings.Select(finding => finding.What))}. Nothing was done. " +
                $"The person looks at what changed (mcpplan show {id}, mcpplan log {id}, git diff), restores the files from git where that is the fix, " +
                $"or accepts the current files with: mcpplan repair {id} (a changed record loses its approval, which the person then gives again with --sha).");
        }
    }

    /// <summary>
    /// The person accepts the plan's files as they are after tampering was reported: journal breaks up to now are marked
    /// as looked at, the record is bound again, and a record that was changed by hand loses its approval.
    /// </summary>
    public (LoadedPlan Plan, IReadOnlyList<TamperFinding> Accepted) Repair(string id) =>
        Locked(() =>
        {
            var plan = ReadPlan(id);
            var findings = store.CheckIntegrity(plan.Id);
            if (findings.Count == 0)
            {
                throw new PlanRefusedException("nothing_to_repair", $"Plan '{plan.Id}': its record and the journal lines about it are as mcpplan wrote them; there is nothing to repair.");
            }

            var recordChanged = findings.Any(finding => finding.RecordChanged);
            var through = findings.Max(finding => finding.Line);
            var saved = Save(plan, Actor.Owner, "repair", record => record with { Approval = recordChanged ? null : record.Approval },
                $"accepted by the person: {string.Join("; ", findings.Select(finding => finding.What))}{(recordChanged && plan.Record.Approval is not null ? "; approval withdrawn" : string.Empty)}",
                entry => entry with { RepairedThrough = through ?? 0 });
            return (saved, findings);
        });

    private static void RequireShownText(LoadedPlan plan, string? shaPrefix)
    {
        var current = $"text revision {plan.Record.TextRevision}, sha256 {plan.TextSha256[..16]}";
        if (string.IsNullOrWhiteSpace(shaPrefix))
        {
            throw new PlanRefusedException(
                "sha_required",
                $"Approve the text you read: plan '{plan.Id}' is at {current}. Read it (mcpplan show {plan.Id}), then run: mcpplan approve {plan.Id} --sha {plan.TextSha256[..16]}");
        }

        var prefix = shaPrefix.Trim().ToLowerInvariant();
        if (prefix.Length < MinimumShaPrefix || prefix.Length > plan.TextSha256.Length || !prefix.All(char.IsAsciiHexDigit))
        {
            throw new PlanRefusedException(
                "invalid_argument",
                $"--sha '{shaPrefix}' is not a hash prefix: give at least {MinimumShaPrefix} hex digits of the plan's SHA-256, as mcpplan show {plan.Id} prints it.");
        }

        if (!plan.TextSha256.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new PlanRefusedException(
                "plan_changed",
                $"Plan '{plan.Id}' is not the text you approved: it is now {current}, not {prefix}…. Nothing was approved. Read the current text (mcpplan show {plan.Id}) and approve it with its hash if you agree.");
        }
    }

    private void RequirePersonChannelIfRisky(LoadedPlan plan, Approval approval)
    {
        if (config.PersonChannelFromRisk is not { } from || approval.IsPersonChannel)
        {
            return;
        }

        var risk = ParseRisk(plan.Document.Metadata.RiskLevel);
        if (risk is null || risk >= from)
        {
            throw new PlanRefusedException(
                "person_channel_required",
                $"Plan '{plan.Id}' has risk level {plan.Document.Metadata.RiskLevel ?? "(none stated)"}, and the config (personChannelFromRisk: {from}) requires a person's channel for it: {approval.ChannelWarning}. Nothing was approved. The person approves in their own terminal, outside any agent session: mcpplan approve {plan.Id} --sha {plan.TextSha256[..16]}");
        }
    }

    /// <summary>The risk level a plan states (its first word), or null when it states none that is known.</summary>
    public static RiskLevel? ParseRisk(string? stated)
    {
        var word = stated?.Trim().Split([' ', '-', '—', ',', '(', ':'], 2)[0];
        return word is { Length: > 0 } && word.All(char.IsAsciiLetter) && Enum.TryParse<RiskLevel>(word, ignoreCase: true, out var level) ? level : null;
    }

    public LoadedPlan RequestChanges(string id, string note) =>
        Locked(() =>
        {
            RequireText(note, "note", 20_000);
            var plan = ReadPlan(id);
            PlanLifecycle.Require(PlanTransition.RequestChanges, Actor.Owner, plan.Id.Value, plan.State);
            return Save(plan, Actor.Owner, "request_changes", record => record with { Status = PlanStatus.ChangesRequested, OwnerNote = note }, note);
        });

    /// <summary>
    /// The person's integration: the verified commit into <paramref name="target"/> (default: the main worktree's branch)
    /// by fast-forward or merge commit, the verification command run on the merged tree in a clean checkout before the
    /// branch moves, then the plan completed with the commit recorded. Any refusal leaves branches and plan as they were.
    /// </summary>
    public async Task<(LoadedPlan Plan, IntegrationCandidate Candidate)> IntegrateAsync(string id, string? target, IBranchIntegrator integrator, CancellationToken cancellationToken)
    {
        Publisher?.Fetch(); // Issue 19 item 2: the remote's latest before the branch is merged.
        var plan = ReadPlan(id);
        if (plan.Location.Folder != PlanFolder.Active || plan.State.Status != PlanStatus.Verified || plan.Record.LastReview?.HeadSha is not { } verified)
        {
            throw new PlanRefusedException("not_verified", $"Plan '{plan.Id}' is {plan.State}; only a verified plan is integrated. {PlanLifecycle.NextStepHint(plan.State, plan.Id.Value)}");
        }

        var branch = target ?? integrator.CurrentBranch
            ?? throw new PlanRefusedException("no_target_branch", "The main worktree is on no branch. Name the target with --into BRANCH.");
        var candidate = integrator.Prepare(branch, verified, plan.Record.Approval?.BaseCommit ?? verified, [.. plan.Document.PlannedFiles.Select(file => file.Path)]);
        if (config.Verify.Command is { } command && verifier is not null)
        {
            var result = await verifier.RunAsync(command, TimeSpan.FromSeconds(config.Verify.TimeoutSeconds), candidate.ResultSha, cancellationToken);
            if (!result.Passed)
            {
                throw new PlanRefusedException(
                    "verification_failed",
                    $"The verification command failed on the merged tree ({candidate.ResultSha[..12]}, exit {result.ExitCode}{(result.TimedOut ? ", timed out" : string.Empty)}); {branch} was not moved. Output tail:\n{result.OutputTail}");
            }
        }

        integrator.Advance(candidate);
        return (Complete(id, candidate.ResultSha), candidate);
    }

    public LoadedPlan Complete(string id) => Complete(id, integratedCommit: null);

    private LoadedPlan Complete(string id, string? integratedCommit) =>
        Locked(() =>
        {
            var plan = ReadPlan(id);
            PlanLifecycle.Require(PlanTransition.Complete, Actor.Owner, plan.Id.Value, plan.State);
            RequireIntact(plan.Id);

            // Integration merged exactly the verified commit, so a later commit on a worktree's branch cannot stale it.
            if (integratedCommit is null && plan.StaleVerdict is { } stale)
            {
                throw new PlanRefusedException("verdict_stale", stale);
            }

            // The archived text: checkboxes of met items ticked in the source, and the verification report appended. The
            // record follows the new hash (and keeps it as the archived form of the approved text), so nothing reads the
            // archive as edited after approval.
            var archived = VerificationReport.Archive(plan.Text, ReviewChecklist.Items(plan.Document), plan.Record, config, clock.GetUtcNow());
            var archivedSha = PlanText.Sha256Hex(archived);

            // Record first, then the text, then the move: a crash in between leaves a record that says "archived", and
            // the next start finishes the move (Reconcile) instead of losing the outcome.
            var saved = Save(plan, Actor.Owner, "complete", record => record with
            {
                Folder = PlanFolder.Completed,
                Status = PlanStatus.Completed,
                TextSha256 = archivedSha,
                ArchivedTextSha256 = archivedSha,
                IntegratedCommit = integratedCommit,
            }, $"{plan.Record.StepsDone}/{plan.Record.Steps.Count} steps, last score {plan.Record.LastReview?.WeightedTotal}, verified commit {plan.Record.LastReview?.HeadSha?[..12]}"
                + (integratedCommit is null ? string.Empty : $", integrated as {integratedCommit[..12]}"));
            store.WriteText(plan.Id, PlanFolder.Active, archived);
            store.Move(plan.Id, PlanFolder.Active, PlanFolder.Completed);
            return saved with { Text = archived, TextSha256 = archivedSha, Document = PlanParser.Parse(archived) };
        });

    public LoadedPlan Abandon(string id, string reason) =>
        Locked(() =>
        {
            RequireText(reason, "reason", 20_000);
            var plan = ReadPlan(id);
            PlanLifecycle.Require(PlanTransition.Abandon, Actor.Owner, plan.Id.Value, plan.State);
            var saved = Save(plan, Actor.Owner, "abandon", record => record with
            {
                Folder = PlanFolder.Completed,
                Status = PlanStatus.Abandoned,
                OwnerNote = reason,
            }, reason);
            store.Move(plan.Id, plan.Location.Folder, PlanFolder.Completed);
            return saved;
        });

    // ---------------------------------------------------------------- shared mechanics

    /// <summary>
    /// Runs one change under the lock. Every check precedes the first write, so a refusal leaves everything as it was;
    /// adapters journal refusals at their single catch point (<see cref="JournalRefusal"/>) with the caller's details.
    /// </summary>
    public T Locked<T>(Func<T> change)
    {
        using (store.AcquireLock())
        {
            return change();
        }
    }

    /// <summary>Journals a refused call with who made it and why. Never throws: the refusal is what the caller must see.</summary>
    public void JournalRefusal(Actor actor, string action, string? id, PlanRefusedException refusal, string? argumentsDigest)
    {
        try
        {
            using (store.AcquireLock())
            {
                store.AppendJournal(new JournalEntry
                {
                    At = clock.GetUtcNow(),
                    Actor = actor.ToName(),
                    Action = action,
                    PlanId = PlanId.TryParse(id, out var planId, out _) ? planId.Value : null,
                    Outcome = "refused",
                    Detail = $"{refusal.Code}: {Truncate(refusal.Message, 500)}",
                    ArgumentsDigest = argumentsDigest,
                    ProcessId = Environment.ProcessId,
                });
            }
        }
        catch (PlanRefusedException)
        {
            // The refusal itself is what the caller needs to see; a journal that cannot be written now
            // (busy, read-only, disk full) must not replace it with a different error.
        }
    }

    public static string DigestArguments(string argumentsJson)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(argumentsJson));
        return Convert.ToHexStringLower(hash)[..16];
    }

    internal LoadedPlan Save(LoadedPlan plan, Actor actor, string action, Func<PlanRecord, PlanRecord> change, string? detail, Func<JournalEntry, JournalEntry>? entryChange = null)
    {
        var now = clock.GetUtcNow();
        var changed = change(plan.Record) with
        {
            Revision = plan.Record.Revision + 1,
            UpdatedAt = now,
        };
        changed = changed with
        {
            Timeline = [.. changed.Timeline, new TimelineEntry(now, actor.ToName(), action, detail)],
        };
        var entry = Entry(actor, action, plan.Id.Value, "ok", detail, changed.Revision);
        store.WriteRecord(changed, entryChange is null ? entry : entryChange(entry));
        return plan with { Record = changed, Location = plan.Location with { Folder = changed.Folder } };
    }

    private void Journal(Actor actor, string action, string id, string outcome, string? detail, long revision) =>
        store.AppendJournal(Entry(actor, action, id, outcome, detail, revision));

    private JournalEntry Entry(Actor actor, string action, string id, string outcome, string? detail, long revision) =>
        new()
        {
            At = clock.GetUtcNow(),
            Actor = actor.ToName(),
            Action = action,
            PlanId = id,
            Outcome = outcome,
            Detail = detail is null ? null : Truncate(detail, 500),
            Revision = revision,
            ProcessId = Environment.ProcessId,
        };

    private PlanLocation RequireLocation(PlanId id) =>
        store.Locate(id) ?? throw new PlanRefusedException(
            "plan_not_found",
            $"There is no plan '{id}' in {store.PlansRoot}/Review, Active or Completed. list_plans shows the plans that exist.");

    /// <summary>Reads text and record and reconciles them with the folder the text was found in (the folder wins).</summary>
    private LoadedPlan Load(PlanLocation location)
    {
        var text = store.ReadText(location);
        var sha = PlanText.Sha256Hex(text);
        var document = PlanParser.Parse(text);
        var record = store.ReadRecord(location.Id) ?? new PlanRecord
        {
            Id = location.Id.Value,
            Revision = 0,
            TextRevision = 1,
            TextSha256 = sha,
            Folder = location.Folder,
            Status = DefaultStatus(location.Folder),
            CreatedAt = location.LastWriteTime,
            UpdatedAt = location.LastWriteTime,
            Steps = StepsFor(document, []),
            Timeline = [new TimelineEntry(location.LastWriteTime, "owner", "placed", $"found in {location.Folder}/ without a record")],
        };

        if (record.Folder != location.Folder)
        {
            record = record with { Folder = location.Folder, Status = ReconcileStatus(record.Status, location.Folder) };
        }

        var dependsOn = ValidDependencies(document);
        if (record.TextSha256 != sha || record.StepCount != document.Steps.Count || record.Title != document.Title || !record.DependsOn.SequenceEqual(dependsOn))
        {
            // Edited outside write_plan (a person's editor, or a crash between writes): adopt the text as it is.
            record = record with { TextSha256 = sha, Title = document.Title, StepCount = document.Steps.Count, DependsOn = dependsOn, Steps = StepsFor(document, record.Steps) };
        }

        if (record.TextWrittenAt != location.LastWriteTime)
        {
            // Saved with the next change, so listings stop re-reading a text they have already reconciled.
            record = record with { TextWrittenAt = location.LastWriteTime };
        }

        if (location.Folder == PlanFolder.Active)
        {
            record = BranchTruth.Apply(record, repository);
        }

        return new LoadedPlan(location, text, sha, document, record) { StaleVerdict = StaleVerdict(record, location.Folder) };
    }

    /// <summary>A verified verdict holds for the commit it was given on; a later commit on the branch voids it.</summary>
    private string? StaleVerdict(PlanRecord record, PlanFolder folder)
    {
        if (folder != PlanFolder.Active || record.Status != PlanStatus.Verified || repository is null || record.LastReview?.HeadSha is not { } verified)
        {
            return null;
        }

        string? head;
        try
        {
            head = repository.HeadSha;
        }
        catch (PlanRefusedException)
        {
            return null;
        }

        if (head == verified)
        {
            return null;
        }

        // Only a later commit on the plan voids its verdict: one of its own step commits, or any commit that changes a file
        // its steps changed. Other plans' commits on the same branch leave it standing.
        var planFiles = record.Steps.SelectMany(step => step.Commits).SelectMany(commit => commit.Files).ToHashSet(StringComparer.Ordinal);
        var voiding = repository.CommitsSince(verified, 500)
            .FirstOrDefault(commit => commit.Trailer("Plan-Id") == record.Id || repository.WithFiles(commit).Files.Any(file => planFiles.Contains(file.Path)));
        return voiding is null
            ? null
            : $"Plan '{record.Id}' was verified on commit {CommitId.Short(verified)}, but commit {voiding.Sha[..12]} ('{voiding.Subject}') changed the plan's files after it: the verdict does not cover what is there. "
                + $"The owner sends it back (mcpplan request-changes {record.Id} --note ...) so it is handed in and reviewed again, or restores the branch to the verified commit.";
    }

    private static PlanStatus DefaultStatus(PlanFolder folder) => folder switch
    {
        PlanFolder.Review => PlanStatus.AwaitingApproval,
        PlanFolder.Active => PlanStatus.Implementing,
        _ => PlanStatus.Completed,
    };

    private static PlanStatus ReconcileStatus(PlanStatus recorded, PlanFolder folder)
    {
        var fits = PlanLifecycle.Rules.SelectMany(rule => rule.From).Any(state => state.Folder == folder && state.Status == recorded)
            || (folder == PlanFolder.Completed && recorded is PlanStatus.Completed or PlanStatus.Abandoned);
        return fits ? recorded : DefaultStatus(folder);
    }

    /// <summary>Step progress for a (new) text: progress of a step with the same number and title is kept.</summary>
    private static IReadOnlyList<StepProgress> StepsFor(PlanDocument document, IReadOnlyList<StepProgress> previous) =>
        document.Steps.Select(step =>
        {
            var old = previous.FirstOrDefault(candidate => candidate.Number == step.Number && candidate.Title == step.Title);
            return old ?? new StepProgress(step.Number, step.Title, false, []);
        }).ToList();

    private static PlanSummary Summarize(PlanRecord record, bool approvalValid, PlanLocation location, string? staleVerdict) => new(
        record.Id,
        record.Title,
        location.Folder,
        record.Status,
        record.StepsDone,
        record.StepCount,
        record.LastReview?.WeightedTotal,
        record.Reviews.Count,
        record.OpenBlockers.Count(),
        record.OpenFindings.Count(),
        approvalValid,
        record.UpdatedAt,
        location.Folder == PlanFolder.Active && !approvalValid
            ? "Not approved for its current text: the owner reads it (mcpplan show " + record.Id + ") and approves it with --sha"
            : staleVerdict ?? record.Steps.FirstOrDefault(step => step.Problem is not null)?.Problem ?? PlanLifecycle.NextStepHint(record.State, record.Id),
        ApprovalWarning: approvalValid ? record.Approval?.ChannelWarning : null);

    private static string OpenBlockerList(PlanRecord record)
    {
        var open = record.OpenBlockers.Select(blocker => blocker.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return open.Count == 0 ? "none" : string.Join(", ", open);
    }

    private static void RequireText(string? value, string name, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new PlanRefusedException("invalid_argument", $"The {name} is empty. Write a short {name} in plain text.");
        }

        if (value.Length > maxLength)
        {
            throw new PlanRefusedException("invalid_argument", $"The {name} is {value.Length} characters; the limit is {maxLength}. Shorten it.");
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new PlanRefusedException("invalid_argument", $"The {name} contains a NUL character. Send plain text.");
        }
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max] + "…";
}
