using System.Text.Json.Nodes;
using McpPlanServer.Core.Evidence;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Mcp.Tools;

/// <summary>The acceptance tests in tool results (issue 20): the section with its files, the last run, the review's evidence.</summary>
public static class AcceptanceJson
{
    /// <summary>
    /// The plan's section, which files are written (and at which set revision), which are pinned; null without a section.
    /// The stored files are read only when the plan has the section (a round trip saved on a database store).
    /// </summary>
    public static JsonObject? Section(LoadedPlan plan, PlanWorkflow workflow)
    {
        if (plan.Document.AcceptanceTests is not { } section)
        {
            return null;
        }

        var stored = workflow.ReadAcceptance(plan.Id);

        var pinned = plan.Record.Approval?.PinnedFiles ?? [];
        return new JsonObject
        {
            ["command"] = section.Command,
            ["revision"] = stored.Revision,
            ["approval_sha256"] = plan.ApprovalSha256,
            ["files"] = new JsonArray([.. section.Files.Select(file => (JsonNode)new JsonObject
            {
                ["path"] = file.Path,
                ["sha256"] = stored.Find(file.Path)?.Sha256,
                ["written"] = stored.Find(file.Path) is not null,
                ["pinned"] = pinned.Contains(file.Path, StringComparer.Ordinal),
            })]),
            ["last_run"] = plan.Record.LastAcceptance is { } run ? Run(run) : null,
        };
    }

    public static JsonObject Run(AcceptanceResult run) => new()
    {
        ["command"] = run.Command,
        ["commit"] = run.Commit,
        ["passed"] = run.Passed,
        ["summary"] = run.Summary,
        ["exit_code"] = run.ExitCode,
        ["timed_out"] = run.TimedOut,
        ["duration_ms"] = run.DurationMs,
        ["counts"] = run.Counts is { } counts ? new JsonObject { ["passed"] = counts.Passed, ["failed"] = counts.Failed, ["skipped"] = counts.Skipped, ["source"] = counts.Source } : null,
        ["output_tail"] = run.OutputTail,
    };

    public static JsonObject? Evidence(AcceptanceEvidence? evidence) => evidence is null ? null : new JsonObject
    {
        ["command"] = evidence.Command,
        ["pinned_files"] = new JsonArray([.. evidence.Files.Select(path => (JsonNode?)path)]),
        ["approval_sha256"] = evidence.Hash,
        ["pin_commit"] = evidence.PinCommit,
        ["result"] = evidence.LastRun is { } run ? Run(run) : null,
        ["tampering"] = new JsonArray([.. evidence.Tampering.Select(line => (JsonNode?)line)]),
    };
}
