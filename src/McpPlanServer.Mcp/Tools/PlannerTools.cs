using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Reviews;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Mcp.Tools;

/// <summary>The planner's tools: write and revise plans, ask the person for approval, answer blockers, review.</summary>
public static class PlannerTools
{
    private static readonly IntegerParameter ExpectedRevision = new("expected_revision", 0, int.MaxValue, "text_revision you read; required to revise");

    private static readonly IntegerParameter BlockerId = new("blocker_id", 1, PlanLimits.MaxBlockerId, "Blocker to answer") { Required = true };

    private static readonly TextParameter Answer = new("answer", PlanLimits.MaxNoteLength) { Required = true };

    private static readonly TextParameter Commit = new("commit", PlanLimits.MaxCommitIdLength, "Page one commit's diff");

    private static readonly IntegerParameter DiffOffset = new("diff_offset", 0, int.MaxValue, "A diff's next_offset") { Default = 0 };

    private static readonly IntegerParameter MaxDiffBytes = new("max_diff_bytes", PlanLimits.MinDiffPageBytes, PlanLimits.MaxDiffPageBytes) { Default = PlanLimits.DefaultDiffPageBytes };

    private static readonly TextParameter Summary = new("summary", PlanLimits.MaxNoteLength) { Required = true };

    private static readonly StructuredParameter Findings = new(
        "findings",
        JsonNode.Parse("""{"type":"array","items":{"type":"object","properties":{"severity":{"enum":["critical","major","minor"]},"location":{"type":"string"},"message":{"type":"string"}},"required":["severity","location","message"]}}""")!.AsObject(),
        "an array of findings");

    private static readonly StructuredParameter Criteria = new(
        "criteria",
        JsonNode.Parse("""{"type":"array","items":{"type":"object","properties":{"item":{"type":"string"},"met":{"type":"boolean"},"evidence":{"type":"string"}},"required":["item","met","evidence"]}}""")!.AsObject(),
        "an array of {item, met, evidence}")
    { Required = true };

    public static IEnumerable<PlanTool> Create(ToolContext context)
    {
        var workflow = context.Workflow;
        var text = new TextParameter("text", workflow.Config.MaxPlanBytes, "Plan markdown (plan_template prompt)") { Required = true };
        var scores = Scores(workflow);

        yield return context.Create(
            new ToolSpec(
                "write_plan",
                "Write plan",
                "Create a plan in Review, or revise one (expected_revision). Lint errors refuse.",
                [Actor.Planner],
                ReadOnly: false,
                Destructive: false,
                [ToolParameters.NewPlanId, text, ExpectedRevision],
                """{"type":"object","properties":{"id":{"type":"string"},"text_revision":{"type":"integer"},"status":{"type":"string"},"warnings":{"type":"array"}},"required":["id","text_revision","status"]}"""),
            call =>
            {
                var result = workflow.WritePlan(context.Role, call.Arguments.Text(ToolParameters.NewPlanId), call.Arguments.Text(text), call.Arguments.OptionalInteger(ExpectedRevision));
                return new JsonObject
                {
                    ["id"] = result.Id,
                    ["created"] = result.Created,
                    ["text_revision"] = result.TextRevision,
                    ["state"] = result.State.Folder.ToWireName(),
                    ["status"] = result.State.Status.ToWireName(),
                    ["sha256"] = result.TextSha256,
                    ["approval_voided"] = result.ApprovalVoided,
                    ["warnings"] = PlanJson.Lint(result.Warnings),
                    ["unchanged"] = result.Unchanged,
                    ["next_action"] = result.Unchanged
                        ? $"The text is identical to text revision {result.TextRevision}: nothing was written. {PlanLifecycle.NextStepHint(result.State, result.Id)}"
                        : $"Ask the owner to approve: request_approval plan_id={result.Id}.",
                };
            });

        yield return AcceptanceTool.Create(context); // issue 20

        foreach (var tool in ApprovalTools.Create(context))
        {
            yield return tool;
        }

        yield return context.Create(
            new ToolSpec(
                "answer_blocker",
                "Answer blocker",
                "Answer a blocker; the approved plan stays unchanged.",
                [Actor.Planner],
                ReadOnly: false,
                Destructive: false,
                [ToolParameters.PlanId, BlockerId, Answer],
                Schemas.PlanState),
            call =>
            {
                var id = call.Arguments.Text(ToolParameters.PlanId);
                var blockerId = call.Arguments.Integer(BlockerId);
                var answered = workflow.AnswerBlocker(context.Role, id, blockerId, call.Arguments.Text(Answer));
                return State(answered.Plan, $"Blocker {blockerId} answered.");
            });

        yield return context.Create(
            new ToolSpec(
                "review_implementation",
                "Review implementation",
                "Evidence: per-step commits and diffs, drift, outside commits, verification, acceptance.",
                [Actor.Planner],
                ReadOnly: true,
                Destructive: false,
                [ToolParameters.PlanId, Commit, DiffOffset, MaxDiffBytes],
                """{"type":"object","properties":{"id":{"type":"string"},"steps":{"type":"array"}},"required":["id","steps"]}"""),
            call => PlanJson.Evidence(workflow.ReviewImplementation(
                call.Arguments.Text(ToolParameters.PlanId),
                call.Arguments.OptionalText(Commit),
                call.Arguments.Integer(DiffOffset),
                call.Arguments.Integer(MaxDiffBytes))));

        yield return context.Create(
            new ToolSpec(
                "submit_review",
                "Submit review",
                "Score 0-100, answer each C1../S1.. with evidence (test, command, commit, file:line), add findings.",
                [Actor.Planner],
                ReadOnly: false,
                Destructive: false,
                [ToolParameters.PlanId, scores, Findings, Summary, Criteria],
                """{"type":"object","properties":{"id":{"type":"string"},"weighted_total":{"type":"number"},"verdict":{"type":"string"},"status":{"type":"string"}},"required":["id","weighted_total","verdict","status"]}"""),
            call =>
            {
                var id = call.Arguments.Text(ToolParameters.PlanId);
                var submission = new ReviewSubmission(
                    ReadScores(call.Arguments.Element(scores)),
                    ReadFindings(call.Arguments.OptionalElement(Findings)),
                    call.Arguments.Text(Summary))
                {
                    Answers = ReadAnswers(call.Arguments.Element(Criteria)),
                };
                var submitted = workflow.SubmitReview(context.Role, id, submission);
                var (review, outcome, plan) = (submitted.Review, submitted.Outcome, submitted.Plan);
                return new JsonObject
                {
                    ["id"] = plan.Id.Value,
                    ["iteration"] = review.Iteration,
                    ["weighted_total"] = review.WeightedTotal,
                    ["threshold"] = review.Threshold,
                    ["verdict"] = PlanJson.Verdict(review.Verdict),
                    ["reason"] = outcome.Reason,
                    ["state"] = plan.State.Folder.ToWireName(),
                    ["status"] = plan.State.Status.ToWireName(),
                    ["findings"] = new JsonArray([.. review.Findings.Select(finding => (JsonNode)PlanJson.Finding(finding))]),
                    ["criteria_met"] = $"{review.Answers.Count(answer => answer.Met)}/{review.Answers.Count}",
                    ["reviewed_commit"] = review.HeadSha,
                    ["next_action"] = PlanLifecycle.NextStepHint(plan.State, plan.Id.Value),
                };
            });
    }

    public static JsonObject ApprovalRequest(LoadedPlan plan, string lintSummary, string message) => new()
    {
        ["id"] = plan.Id.Value,
        ["state"] = plan.State.Folder.ToWireName(),
        ["status"] = plan.State.Status.ToWireName(),
        ["text_revision"] = plan.Record.TextRevision,
        ["sha256"] = plan.ApprovalSha256,
        ["lint"] = lintSummary,
        ["approve_command"] = $"mcpplan approve {plan.Id} --sha {plan.ApprovalSha256[..16]}",
        ["request_changes_command"] = $"mcpplan request-changes {plan.Id} --note \"...\"",
        ["message"] = message,
    };

    public static JsonObject State(LoadedPlan plan, string message) => new()
    {
        ["id"] = plan.Id.Value,
        ["state"] = plan.State.Folder.ToWireName(),
        ["status"] = plan.State.Status.ToWireName(),
        ["message"] = message,
        ["next_action"] = PlanLifecycle.NextStepHint(plan.State, plan.Id.Value),
    };

    /// <summary>The scores object names the configured rubric's categories, so the schema follows the configuration.</summary>
    private static StructuredParameter Scores(PlanWorkflow workflow)
    {
        var categories = new JsonObject();
        foreach (var category in workflow.Config.Rubric)
        {
            categories[category.Name] = new JsonObject { ["type"] = "integer" };
        }

        var shape = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = categories,
            ["required"] = new JsonArray([.. workflow.Config.Rubric.Select(category => (JsonNode)category.Name)]),
        };
        return new StructuredParameter("scores", shape, "an object of category: score", $"0-{PlanLimits.MaxScore} per category") { Required = true };
    }

    private static Dictionary<string, int> ReadScores(JsonElement scores)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var property in scores.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out var score))
            {
                throw new PlanRefusedException(RefusalCodes.InvalidArgument, $"scores.{property.Name} must be an integer 0-{PlanLimits.MaxScore}.");
            }

            result[property.Name] = score;
        }

        return result;
    }

    private static List<FindingInput> ReadFindings(JsonElement? findings)
    {
        var result = new List<FindingInput>();
        if (findings is not { } array)
        {
            return result;
        }

        if (array.GetArrayLength() > PlanLimits.MaxFindingsPerReview)
        {
            throw new PlanRefusedException(RefusalCodes.InvalidArgument, $"At most {PlanLimits.MaxFindingsPerReview} findings per review; group related ones.");
        }

        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new PlanRefusedException(RefusalCodes.InvalidArgument, "Each finding must be an object {severity, location, message}.");
            }

            var severity = Text(item, "severity", "critical".Length).ToLowerInvariant() switch
            {
                "critical" => FindingSeverity.Critical,
                "major" => FindingSeverity.Major,
                "minor" => FindingSeverity.Minor,
                var other => throw new PlanRefusedException(RefusalCodes.InvalidArgument, $"Finding severity '{other}' is not one of critical, major, minor."),
            };
            result.Add(new FindingInput(severity, Text(item, "location", PlanLimits.MaxFindingLocationLength), Text(item, "message", PlanLimits.MaxFindingMessageLength)));
        }

        return result;
    }

    private static List<ChecklistAnswer> ReadAnswers(JsonElement? criteria)
    {
        var result = new List<ChecklistAnswer>();
        if (criteria is not { } array)
        {
            return result;
        }

        if (array.GetArrayLength() > PlanLimits.MaxCriteriaAnswersPerReview)
        {
            throw new PlanRefusedException(RefusalCodes.InvalidArgument, $"At most {PlanLimits.MaxCriteriaAnswersPerReview} criteria answers per review.");
        }

        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("met", out var met) || met.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw new PlanRefusedException(RefusalCodes.InvalidArgument, "Each criteria answer must be an object {item: \"C1\", met: true|false, evidence: \"...\"}.");
            }

            result.Add(new ChecklistAnswer(Text(item, "item", PlanLimits.MaxChecklistItemLength, "criteria answer"), string.Empty, met.GetBoolean(), Text(item, "evidence", PlanLimits.MaxEvidenceLength, "criteria answer")));
        }

        return result;
    }

    private static string Text(JsonElement item, string name, int maxLength, string what = "finding") =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text && text.Length <= maxLength
            ? text
            : throw new PlanRefusedException(RefusalCodes.InvalidArgument, $"Each {what} needs '{name}' as a non-empty string of at most {maxLength} characters.");
}
