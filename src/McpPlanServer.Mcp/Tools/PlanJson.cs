using System.Text.Json.Nodes;
using McpPlanServer.Core.Evidence;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Mcp.Tools;

/// <summary>Builds the structured results of the tools (snake_case, stable, the shapes the output schemas declare).</summary>
public static class PlanJson
{
    public static JsonObject Summary(PlanSummary plan)
    {
        var summary = SummaryFields(plan);
        if (plan.Problem is { } problem)
        {
            summary["problem"] = problem;
        }

        if (plan.ApprovalWarning is { } warning)
        {
            summary["approval_warning"] = warning;
        }

        if (plan.Overlap is { } overlap)
        {
            summary["overlap"] = overlap;
        }

        return summary;
    }

    /// <summary>A file that cannot be used, as list_plans reports it.</summary>
    public static JsonObject BadFile(BadFile file) => new()
    {
        ["path"] = file.Path,
        ["plan_id"] = file.PlanId,
        ["code"] = file.Code,
        ["message"] = file.Message,
    };

    private static JsonObject SummaryFields(PlanSummary plan) => new()
    {
        ["id"] = plan.Id,
        ["title"] = plan.Title,
        ["state"] = plan.Folder.ToWireName(),
        ["status"] = plan.Status.ToWireName(),
        ["steps_done"] = plan.StepsDone,
        ["step_count"] = plan.StepCount,
        ["last_score"] = plan.LastScore,
        ["iterations"] = plan.Iterations,
        ["open_blockers"] = plan.OpenBlockers,
        ["open_findings"] = plan.OpenFindings,
        ["approved"] = plan.ApprovalValid,
        ["next_action"] = plan.NextAction,
        ["readiness"] = plan.Readiness,
    };

    /// <summary>The full view of one plan: text, parse, progress, approval, reviews, findings, blockers.</summary>
    public static JsonObject Plan(LoadedPlan plan, bool includeText = true)
    {
        var record = plan.Record;
        var result = new JsonObject
        {
            ["id"] = plan.Id.Value,
            ["title"] = plan.Document.Title,
            ["state"] = plan.State.Folder.ToWireName(),
            ["status"] = plan.State.Status.ToWireName(),
            ["text_revision"] = record.TextRevision,
            ["sha256"] = plan.TextSha256,
            ["approval"] = Approval(plan),
            ["steps"] = new JsonArray([.. record.Steps.Select(step => (JsonNode)Step(step, plan.Document))]),
            ["next_step"] = plan.NextStep is { } next ? Step(next, plan.Document) : null,
            ["open_findings"] = new JsonArray([.. record.OpenFindings.Select(finding => (JsonNode)Finding(finding))]),
            ["blockers"] = new JsonArray([.. record.Blockers.Select(blocker => (JsonNode)Blocker(blocker))]),
            ["reviews"] = new JsonArray([.. record.Reviews.Select(review => (JsonNode)new JsonObject
            {
                ["iteration"] = review.Iteration,
                ["weighted_total"] = review.WeightedTotal,
                ["verdict"] = Verdict(review.Verdict),
                ["findings"] = review.Findings.Count,
            })]),
            ["owner_note"] = record.OwnerNote,
            ["readiness"] = plan.Readiness,
            ["next_action"] = plan.State.Folder == PlanFolder.Active && !plan.ApprovalValid
                ? $"Not approved for its current text: the owner runs mcpplan approve {plan.Id}."
                : plan.StaleVerdict ?? record.Steps.FirstOrDefault(step => step.Problem is not null)?.Problem ?? PlanLifecycle.NextStepHint(plan.State, plan.Id.Value),
            ["handed_in_commit"] = record.HandedInCommit,
            ["verified_commit"] = record.Status == PlanStatus.Verified || record.Folder == PlanFolder.Completed ? record.LastReview?.HeadSha : null,
            ["verdict_current"] = record.Status == PlanStatus.Verified ? plan.StaleVerdict is null : null,
        };
        if (record.LastVerification is { } verification)
        {
            result["verification"] = Verification(verification);
        }

        if (includeText)
        {
            result["text"] = plan.Text;
        }

        return result;
    }

    public static JsonObject? Approval(LoadedPlan plan) => Approval(plan.Record.Approval, plan.ApprovalValid);

    /// <summary>An approval with its channel and evidence; one that lacks a person's channel carries the warning.</summary>
    public static JsonObject? Approval(Core.Records.Approval? approval, bool valid) => approval is null
        ? null
        : new JsonObject
        {
            ["valid"] = valid,
            ["approver"] = approval.Approver,
            ["at"] = approval.At.ToString("O"),
            ["text_revision"] = approval.TextRevision,
            ["base_commit"] = approval.BaseCommit,
            ["channel"] = approval.Channel,
            ["person_channel"] = approval.IsPersonChannel,
            ["channel_warning"] = approval.ChannelWarning,
            ["evidence"] = approval.Evidence is { } evidence
                ? new JsonObject
                {
                    ["terminal"] = evidence.Terminal,
                    ["process_chain"] = new JsonArray([.. evidence.ProcessChain.Select(name => (JsonNode?)name)]),
                    ["markers_seen"] = new JsonArray([.. evidence.MarkersSeen.Select(name => (JsonNode?)name)]),
                    ["client"] = evidence.ClientName,
                }
                : null,
        };

    public static JsonObject Step(StepProgress step, PlanDocument document)
    {
        var parsed = document.Steps.FirstOrDefault(candidate => candidate.Number == step.Number);
        return new JsonObject
        {
            ["number"] = step.Number,
            ["title"] = step.Title,
            ["done"] = step.Done,
            ["details"] = parsed is null ? null : new JsonArray([.. parsed.SubItems.Select(item => (JsonNode?)item)]),
            ["files"] = parsed is null ? null : new JsonArray([.. parsed.MentionedPaths.Select(path => (JsonNode?)path)]),
            ["commits"] = new JsonArray([.. step.Commits.Select(commit => (JsonNode?)commit.Sha)]),
            ["problem"] = step.Problem,
        };
    }

    public static JsonObject Finding(Finding finding) => new()
    {
        ["id"] = finding.Id,
        ["severity"] = finding.Severity.ToString().ToLowerInvariant(),
        ["location"] = finding.Location,
        ["message"] = finding.Message,
    };

    public static JsonObject Blocker(Blocker blocker) => new()
    {
        ["id"] = blocker.Id,
        ["step"] = blocker.Step,
        ["question"] = blocker.Question,
        ["answer"] = blocker.Answer,
        ["open"] = blocker.IsOpen,
    };

    public static JsonObject Verification(VerificationResult verification) => new()
    {
        ["command"] = verification.Command,
        ["exit_code"] = verification.ExitCode,
        ["timed_out"] = verification.TimedOut,
        ["passed"] = verification.Passed,
        ["duration_ms"] = verification.DurationMs,
        ["output_tail"] = verification.OutputTail,
        ["head"] = verification.HeadSha,
        ["ran_on"] = verification.HeadSha is { } head ? $"a clean checkout of commit {head}" : "the repository folder (no commit)",
    };

    public static JsonArray Lint(IEnumerable<LintFinding> findings) =>
        new([.. findings.Select(finding => (JsonNode)new JsonObject
        {
            ["severity"] = finding.Severity.ToString().ToLowerInvariant(),
            ["code"] = finding.Code,
            ["line"] = finding.Line,
            ["message"] = finding.Message,
        })]);

    public static JsonObject File(FileChange file) => new()
    {
        ["path"] = file.Path,
        ["change"] = file.Kind.ToString().ToLowerInvariant(),
        ["added"] = file.LinesAdded,
        ["deleted"] = file.LinesDeleted,
        ["binary"] = file.Binary,
    };

    public static JsonObject Commit(CommitFacts commit) => new()
    {
        ["sha"] = commit.Sha,
        ["subject"] = commit.Subject,
        ["author"] = commit.Author,
        ["at"] = commit.At.ToString("O"),
        ["plan_id"] = commit.Trailer("Plan-Id"),
        ["plan_step"] = commit.Trailer("Plan-Step"),
        ["files"] = new JsonArray([.. commit.Files.Select(file => (JsonNode?)file.Path)]),
    };

    public static JsonObject Evidence(ImplementationEvidence evidence) => new()
    {
        ["id"] = evidence.PlanId,
        ["base_commit"] = evidence.BaseCommit,
        ["head"] = evidence.Head,
        ["steps"] = new JsonArray([.. evidence.Steps.Select(step => (JsonNode)new JsonObject
        {
            ["number"] = step.Number,
            ["title"] = step.Title,
            ["done"] = step.Done,
            ["problem"] = step.Problem,
            ["commits"] = new JsonArray([.. step.Commits.Select(commit => (JsonNode)new JsonObject
            {
                ["sha"] = commit.Facts.Sha,
                ["on_branch"] = commit.OnBranch,
                ["reverted_paths"] = new JsonArray([.. commit.RevertedPaths.Select(path => (JsonNode?)path)]),
                ["approval"] = commit.Approval,
                ["approval_current"] = commit.ApprovalCurrent,
                ["index_stale"] = commit.IndexStale,
                ["subject"] = commit.Facts.Subject,
                ["files"] = new JsonArray([.. commit.Facts.Files.Select(file => (JsonNode)File(file))]),
                ["unplanned_files"] = new JsonArray([.. commit.UnplannedFiles.Select(path => (JsonNode?)path)]),
                ["deviation_reason"] = commit.DeviationReason,
                ["diff"] = commit.Diff.Text,
                ["diff_truncated"] = commit.Diff.Truncated,
                ["next_offset"] = commit.Diff.NextOffset,
                ["diff_length"] = commit.Diff.TotalLength,
            })]),
        })]),
        ["planned_files_never_touched"] = new JsonArray([.. evidence.PlannedFilesNeverTouched.Select(path => (JsonNode?)path)]),
        ["unplanned_files_touched"] = new JsonArray([.. evidence.UnplannedFilesTouched.Select(path => (JsonNode?)path)]),
        ["commits_outside_commit_step"] = new JsonArray([.. evidence.CommitsOutsideCommitStep.Select(commit => (JsonNode)Commit(commit))]),
        ["uncommitted_changes"] = new JsonArray([.. evidence.UncommittedChanges.Select(change => (JsonNode)new JsonObject
        {
            ["path"] = change.Path,
            ["state"] = change.State,
            ["staged"] = change.Staged,
            ["external_conversion"] = change.ExternalConversion,
        })]),
        ["steps_not_done"] = new JsonArray([.. evidence.StepsNotDone.Select(number => (JsonNode?)number)]),
        ["verification"] = evidence.Verification is { } verification ? Verification(verification) : null,
        ["acceptance"] = AcceptanceJson.Evidence(evidence.Acceptance), // issue 20: beside the verification
        ["handed_in_commit"] = evidence.HandedInCommit,
        ["warnings"] = new JsonArray([.. evidence.Warnings.Select(warning => (JsonNode?)warning)]),
        ["criteria_to_answer"] = new JsonArray([.. evidence.Checklist.Select(item => (JsonNode)new JsonObject { ["item"] = item.Id, ["text"] = item.Text })]),
        ["diff_note"] = evidence.DiffNote,
        ["approval"] = Approval(evidence.Approval, evidence.ApprovalValid),
    };

    public static string Verdict(ReviewVerdict verdict) => verdict switch
    {
        ReviewVerdict.Verified => "verified",
        ReviewVerdict.NeedsHuman => "needs_human",
        _ => "changes_requested",
    };
}
