using System.Text.Json.Nodes;
using McpPlanServer.Core.Diagnostics;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Mcp.Tools;

/// <summary>The implementer's tools: read the approved plan, report blockers, hand in.</summary>
public static class ImplementerTools
{
    private static readonly TextParameter OptionalPlanId = ToolParameters.PlanId with { Required = false };

    private static readonly FlagParameter Claim = new("claim");

    private static readonly IntegerParameter Step = new("step", 1, PlanLimits.MaxStep, "Step number") { Required = true };

    private static readonly TextParameter Message = new("message", PlanLimits.MaxCommitMessageLength) { Required = true };

    private static readonly TextListParameter Paths = new("paths", PlanLimits.MaxPathsPerCommit, PlanLimits.MaxPathLength, "Default: changed planned files");

    private static readonly FlagParameter IncludeUnplanned = new("include_unplanned", "Also commit unplanned changes");

    private static readonly TextParameter DeviationReason = new("deviation_reason", PlanLimits.MaxDeviationReasonLength, "Why unplanned files are touched");

    private static readonly TextListParameter AddressesFindings = new("addresses_findings", PlanLimits.MaxFindingIdsPerCommit, PlanLimits.MaxFindingIdLength, "Finding ids it fixes");

    private static readonly TextParameter Question = new("question", PlanLimits.MaxNoteLength) { Required = true };

    private static readonly IntegerParameter BlockedStep = Step with { Required = false };

    private static readonly IntegerParameter AwaitedBlocker = new("blocker_id", 1, PlanLimits.MaxBlockerId, "Default: the latest open one");

    private static readonly IntegerParameter AnswerTimeout = new("timeout_seconds", 1, PlanLimits.MaxApprovalWaitSeconds) { Default = PlanLimits.DefaultApprovalWaitSeconds };

    public static IEnumerable<PlanTool> Create(ToolContext context)
    {
        var workflow = context.Workflow;

        yield return context.Create(
            new ToolSpec(
                "read_active_plan",
                "Read active plan",
                "The approved plan to implement: next step, open review findings, answers to blockers. claim=true takes it (or the next ready plan) for this session.",
                [Actor.Implementer],
                ReadOnly: false,
                Destructive: false,
                [OptionalPlanId, Claim],
                Schemas.PlanState),
            call =>
            {
                var id = call.Arguments.OptionalText(OptionalPlanId);
                var grant = call.Arguments.Flag(Claim) ? workflow.Claims.Take(id) : null;
                var claim = grant?.Claim;

                // A grant answers with the plan it was decided on (read a moment ago; a claim changes neither text nor
                // record), not a second read: the claim's latency is mostly round trips to the store. A claim that placed
                // the plan's branch is read again, since where its commits are read may have changed.
                var lap = System.Diagnostics.Stopwatch.GetTimestamp();
                var plan = grant is { Worktree: null } ? grant.Plan : workflow.ReadActivePlan(claim?.PlanId ?? id);
                var result = RemoteStatus.With(PlanJson.Plan(plan), workflow, plan);
                result["acceptance"] = AcceptanceJson.Section(plan, workflow);
                BenchTimings.Lap("answer:plan", ref lap);
                if (claim is not null)
                {
                    result["claim"] = new JsonObject { ["fence"] = claim.Fence, ["expires_at"] = workflow.Claims.ExpiresAt(claim).ToString("u", System.Globalization.CultureInfo.InvariantCulture) };
                    if (grant!.Worktree is { } worktree)
                    {
                        result["claim"]!["branch"] = worktree.Branch;
                        result["claim"]!["worktree"] = worktree.Path;
                        result["claim"]!["next"] = worktree.How is "here" or "switched"
                            ? $"Build here, on {worktree.Branch}: commit_step commits on it."
                            : $"Build in {worktree.Path} (on {worktree.Branch}): edit the files there, and start the implementer session there to commit (cd {worktree.Path}); commit_step refuses on any other branch.";
                    }
                }

                result["approved"] = plan.ApprovalValid;
                var outside = workflow.CommitsOutsideCommitStep(plan);
                BenchTimings.Lap("answer:outside-commits", ref lap);
                result["commits_outside_commit_step"] = new JsonArray([.. outside.Select(commit => (JsonNode)PlanJson.Commit(commit))]);
                if (outside.Count > 0)
                {
                    result["warning"] = $"{outside.Count} commit(s) since approval were made outside commit_step; the planner's review will see them. Commit steps only with commit_step.";
                }

                if (plan.State.Status == PlanStatus.ChangesRequested)
                {
                    result["fix_round"] = $"Fix round open (review {plan.Record.Reviews.Count}): commit fixes to any done step with commit_step, as many commits as needed, "
                        + $"each naming the findings it addresses in addresses_findings ({string.Join(", ", plan.Record.OpenFindings.Select(finding => finding.Id))}). "
                        + "The round stays open until you call submit_for_review.";
                }

                if (workflow.ObservedEdits(plan) is { Count: > 0 } observed)
                {
                    result["edits_seen_after_the_fact"] = new JsonArray([.. observed.Select(edit => (JsonNode?)edit.Describe())]);
                }

                BenchTimings.Lap("answer:observed-edits", ref lap);

                result["answered_blockers"] = new JsonArray([.. plan.Record.Blockers.Where(blocker => !blocker.IsOpen).Select(blocker => (JsonNode)PlanJson.Blocker(blocker))]);
                return result;
            });

        yield return context.Create(
            new ToolSpec(
                "commit_step",
                "Commit step",
                "Commit one plan step (its changed files, or the given paths) with Plan-Id/Plan-Step trailers.",
                [Actor.Implementer],
                ReadOnly: false,
                Destructive: false,
                [ToolParameters.PlanId, Step, Message, Paths, IncludeUnplanned, DeviationReason, AddressesFindings],
                """{"type":"object","properties":{"id":{"type":"string"},"commit":{"type":"string"},"status":{"type":"string"},"files":{"type":"array"}},"required":["id","commit","status"]}"""),
            call =>
            {
                var outcome = workflow.CommitStep(
                    context.Role,
                    call.Arguments.Text(ToolParameters.PlanId),
                    call.Arguments.Integer(Step),
                    call.Arguments.Text(Message),
                    call.Arguments.OptionalTexts(Paths),
                    call.Arguments.OptionalText(DeviationReason),
                    call.Arguments.OptionalTexts(AddressesFindings),
                    call.Arguments.Flag(IncludeUnplanned));
                var result = PlannerTools.State(outcome.Plan, CommitMessage(outcome));
                result["commit"] = outcome.Commit.Sha;
                result["files"] = new JsonArray([.. outcome.Commit.Files.Select(file => (JsonNode)PlanJson.File(file))]);
                result["unplanned_files"] = new JsonArray([.. outcome.UnplannedFiles.Select(path => (JsonNode?)path)]);
                result["index_updated"] = outcome.Commit.IndexUpdated;
                result["next_step"] = outcome.NextStep;
                result["next_action"] = outcome.Plan.State.Status == PlanStatus.ChangesRequested
                    ? "The fix round stays open: commit further fixes (addresses_findings), then submit_for_review."
                    : outcome.NextStep is { } next ? $"Implement step {next}, then commit_step." : "All steps are committed: submit_for_review.";
                return result;
            });

        yield return context.Create(
            new ToolSpec(
                "report_blocker",
                "Report blocker",
                "Report a question you cannot resolve from the plan; the plan is blocked until the planner answers.",
                [Actor.Implementer],
                ReadOnly: false,
                Destructive: false,
                [ToolParameters.PlanId, Question, BlockedStep],
                """{"type":"object","properties":{"id":{"type":"string"},"blocker_id":{"type":"integer"},"status":{"type":"string"}},"required":["id","blocker_id","status"]}"""),
            call =>
            {
                var id = call.Arguments.Text(ToolParameters.PlanId);
                var (plan, blocker) = workflow.ReportBlocker(context.Role, id, call.Arguments.OptionalInteger(BlockedStep), call.Arguments.Text(Question));
                return new JsonObject
                {
                    ["id"] = plan.Id.Value,
                    ["blocker_id"] = blocker.Id,
                    ["state"] = plan.State.Folder.ToWireName(),
                    ["status"] = plan.State.Status.ToWireName(),
                    ["next_action"] = $"Call await_answer (blocker_id {blocker.Id}) to wait for the planner's answer.",
                };
            });

        yield return context.Create(
            new ToolSpec(
                "await_answer",
                "Await answer",
                "Wait until the planner answers a blocker or the timeout passes.",
                [Actor.Implementer],
                ReadOnly: true,
                Destructive: false,
                [ToolParameters.PlanId, AwaitedBlocker, AnswerTimeout],
                """{"type":"object","properties":{"id":{"type":"string"},"blocker_id":{"type":"integer"},"outcome":{"type":"string","enum":["answered","abandoned","timed_out"]}},"required":["id","blocker_id","outcome"]}"""),
            async (call, cancellationToken) =>
            {
                var timeout = TimeSpan.FromSeconds(call.Arguments.Integer(AnswerTimeout));
                var progressToken = call.Request.Params?.ProgressToken;
                var waited = await workflow.AwaitAnswerAsync(
                    call.Arguments.Text(ToolParameters.PlanId),
                    call.Arguments.OptionalInteger(AwaitedBlocker),
                    timeout,
                    progressToken is not { } token ? null : async (plan, elapsed, cancel) => await call.Server.NotifyProgressAsync(token, new ModelContextProtocol.ProgressNotificationValue
                    {
                        Progress = (float)elapsed.TotalSeconds,
                        Total = (float)timeout.TotalSeconds,
                        Message = $"Waiting for the planner's answer on '{plan.Id}' ({elapsed.TotalSeconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture)} s)",
                    }, cancellationToken: cancel),
                    cancellationToken);
                var result = new JsonObject
                {
                    ["id"] = waited.Plan.Id.Value,
                    ["blocker_id"] = waited.Blocker.Id,
                    ["question"] = waited.Blocker.Question,
                    ["state"] = waited.Plan.State.Folder.ToWireName(),
                    ["status"] = waited.Plan.State.Status.ToWireName(),
                };
                switch (waited.Outcome)
                {
                    case BlockerOutcome.Answered:
                        result["outcome"] = "answered";
                        result["answer"] = waited.Blocker.Answer;
                        result["next_action"] = waited.Plan.Record.OpenBlockers.Any()
                            ? "Other blockers are still open; wait for them too (await_answer)."
                            : "Carry on with the answer: read_active_plan, then commit_step.";
                        break;
                    case BlockerOutcome.Abandoned:
                        result["outcome"] = "abandoned";
                        result["next_action"] = $"The person abandoned the plan: {waited.Plan.Record.OwnerNote}. Stop work on it.";
                        break;
                    default:
                        result["outcome"] = "timed_out";
                        result["next_action"] = $"No answer within {timeout.TotalSeconds:0} s. Call await_answer again to keep waiting.";
                        break;
                }

                return result;
            });

        yield return context.Create(
            new ToolSpec(
                "release_plan",
                "Release plan",
                "Give up this session's claim on a plan so another builder can take it.",
                [Actor.Implementer],
                ReadOnly: false,
                Destructive: false,
                ToolParameters.PlanIdOnly,
                """{"type":"object","properties":{"id":{"type":"string"},"fence":{"type":"integer"}},"required":["id","fence"]}"""),
            call =>
            {
                var released = workflow.Claims.Release(call.Arguments.Text(ToolParameters.PlanId));
                return new JsonObject { ["id"] = released.PlanId, ["status"] = "released", ["fence"] = released.Fence };
            });

        yield return context.Create(
            new ToolSpec(
                "submit_for_review",
                "Submit for review",
                "Hand in once every step is committed; runs the configured verification command.",
                [Actor.Implementer],
                ReadOnly: false,
                Destructive: false,
                ToolParameters.PlanIdOnly,
                Schemas.PlanState),
            async (call, cancellationToken) =>
            {
                var plan = await workflow.SubmitForReviewAsync(context.Role, call.Arguments.Text(ToolParameters.PlanId), cancellationToken);
                var result = PlannerTools.State(plan, "Handed in for review.");
                if (plan.Record.LastVerification is { } verification)
                {
                    result["verification"] = PlanJson.Verification(verification);
                }

                return result;
            });
    }

    /// <summary>The text result names every committed file and every unplanned one, and says when git's index lags.</summary>
    private static string CommitMessage(StepCommitOutcome outcome)
    {
        var text = $"Committed step as {outcome.Commit.Sha[..12]}: {string.Join(", ", outcome.Commit.Files.Select(file => file.Path))}.";
        if (outcome.UnplannedFiles.Count > 0)
        {
            text += $" Unplanned (not in the plan's files): {string.Join(", ", outcome.UnplannedFiles)}.";
        }

        if (!outcome.Commit.IndexUpdated)
        {
            text += " WARNING: the commit is made and the branch moved, but git's index could not be updated (another process holds .git/index.lock). "
                + "A git commit made from that index would undo this step; this is recorded, and the next commit_step, hand-in and review check that the branch still holds the step.";
        }

        return text;
    }
}
