using System.Globalization;
using System.Text;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Cli.Commands;

/// <summary>The text of <c>mcpplan show</c>: state, approval, steps with their commits, reviews, blockers, verification and timeline.</summary>
public static class PlanReport
{
    public static string Render(LoadedPlan plan, string plansRoot, IReadOnlyList<TamperFinding> tampering, AcceptanceSet? acceptance = null)
    {
        var record = plan.Record;
        var text = new StringBuilder();
        void Line(string value) => text.Append(value).Append('\n');
        static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

        Line($"{plan.Id}: {record.Title ?? "(no title)"}");
        Line($"  state     {plan.State.Folder.ToWireName()} / {plan.State.Status.ToWireName()}");
        Line($"  file      {plansRoot}/{plan.Location.Folder}/{plan.Id}.md (text revision {record.TextRevision})");
        Line($"  sha256    {plan.TextSha256}");
        if (plan.AcceptanceSha256 is { } covered)
        {
            Line($"  approval hash {covered}   (the text and its acceptance test files, below: approve --sha checks this one)");
        }
        if (record.Approval is { } approval)
        {
            var validity = plan.ApprovalValid ? "valid" : "VOID: the text or its acceptance tests changed after approval; read them and re-approve";
            Line($"  approval  {approval.Approver} at {Time(approval.At)} via {approval.Channel}, base {approval.BaseCommit?[..12] ?? "(unborn)"} ({validity})");
            if (approval.Evidence is { } evidence)
            {
                var markers = evidence.MarkersSeen.Count == 0 ? "none" : string.Join(", ", evidence.MarkersSeen);
                var client = evidence.ClientName is null ? string.Empty : $", client {evidence.ClientName}";
                Line($"  evidence  terminal {(evidence.Terminal ? "yes" : "no")}, parents {string.Join(" < ", evidence.ProcessChain.DefaultIfEmpty("(not inspected)"))}, agent markers {markers}{client}");
            }

            if (approval.ChannelWarning is { } warning)
            {
                Line($"  FLAGGED   not a person's channel: {warning}");
            }
        }
        else
        {
            Line("  approval  none");
        }

        if (plan.State.Folder != PlanFolder.Completed && (plan.State.Folder == PlanFolder.Review || !plan.ApprovalValid))
        {
            Line($"  approve   mcpplan approve {plan.Id} --sha {plan.ApprovalSha256[..16]}   (approves exactly the text with this hash: read the file first)");
        }

        foreach (var finding in tampering)
        {
            Line($"  TAMPERED  {finding.What}");
        }

        if (tampering.Count > 0)
        {
            Line($"  repair    decisions on this plan are refused until the person restores the files or runs: mcpplan repair {plan.Id}");
        }

        if (record.OwnerNote is { } note)
        {
            Line($"  note      {note}");
        }

        AcceptanceReport.Render(plan, acceptance, Line); // issue 20
        Line(string.Empty);
        Line($"Steps ({record.StepsDone}/{record.Steps.Count} done)");
        foreach (var step in record.Steps)
        {
            Line($"  [{(step.Done ? 'x' : ' ')}] {step.Number}. {step.Title}");
            foreach (var commit in step.Commits)
            {
                var drift = commit.UnplannedFiles.Count == 0 ? string.Empty : $" (unplanned: {string.Join(", ", commit.UnplannedFiles)})";
                var indexNote = commit.IndexStale ? " (index not updated: index.lock was held)" : string.Empty;
                Line($"        {commit.Sha[..Math.Min(12, commit.Sha.Length)]} {commit.Message.Split('\n')[0]}{drift}{indexNote}");
            }

            if (step.Problem is { } problem)
            {
                Line($"        ! {problem}");
            }
        }

        if (record.Blockers.Count > 0)
        {
            Line(string.Empty);
            Line("Blockers");
            foreach (var blocker in record.Blockers)
            {
                var step = blocker.Step is { } number ? $" (step {number})" : string.Empty;
                Line($"  #{blocker.Id}{step} {blocker.Question}");
                Line(blocker.Answer is { } answer ? $"      answer: {answer}" : "      open");
            }
        }

        if (record.LastVerification is { } verification)
        {
            Line(string.Empty);
            var result = verification.TimedOut ? "timed out" : $"exit {verification.ExitCode}";
            var commit = verification.HeadSha is { } head ? $" on a clean checkout of {head[..Math.Min(12, head.Length)]}" : string.Empty;
            Line($"Verification: `{verification.Command}` {result} in {verification.DurationMs} ms{commit} at {Time(verification.At)}");
        }

        if (plan.StaleVerdict is { } stale)
        {
            Line(string.Empty);
            Line("VERDICT STALE: " + stale);
        }

        if (record.Reviews.Count > 0)
        {
            Line(string.Empty);
            Line("Reviews");
            foreach (var review in record.Reviews)
            {
                Line($"  {review.Iteration}. {review.WeightedTotal.ToString("0.0", CultureInfo.InvariantCulture)}/{review.Threshold} {review.Verdict switch { Core.Records.ReviewVerdict.Verified => "verified", Core.Records.ReviewVerdict.NeedsHuman => "needs_human", _ => "changes_requested" }} at {Time(review.At)} ({review.Findings.Count} findings)");
                foreach (var finding in review.Findings)
                {
                    Line($"     {finding.Id} [{finding.Severity.ToString().ToLowerInvariant()}]{(finding.Open ? " open" : string.Empty)} {finding.Location}: {finding.Message}");
                }
            }
        }

        Line(string.Empty);
        Line("Timeline");
        foreach (var entry in record.Timeline)
        {
            Line($"  {Time(entry.At)}  {entry.Actor,-11} {entry.Event}{(entry.Detail is null ? string.Empty : ": " + entry.Detail.ReplaceLineEndings(" "))}");
        }

        return text.ToString();
    }
}
