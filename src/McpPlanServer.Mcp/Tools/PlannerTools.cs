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
    public static IEnumerable<PlanTool> Create(ToolContext context)
    {
        var workflow = context.Workflow;

        yield return context.Create(
            new ToolSpec(
                "write_plan",
                "Write plan",
                "Create a plan in Review, or revise one (expected_revision). Lint errors refuse.",
                [Actor.Planner],
                ReadOnly: false,
                Destructive: false,
                $$$"""{"type":"object","properties":{"plan_id":{{{Schemas.PlanId}}},"text":{"type":"string","description":"Plan markdown (plan_template)"},"expected_revision":{"type":"integer","description":"Required to revise"}},"required":["plan_id","text"]}""",
                """{"type":"object","properties":{"id":{"type":"string"},"text_revision":{"type":"integer"},"status":{"type":"string"},"warnings":{"type":"array"}},"required":["id","text_revision","status"]}"""),
            call =>
            {
                var id = call.Arguments.RequiredString("plan_id", 100);
                var text = call.Arguments.RequiredString("text", workflow.Config.MaxPlanBytes);
                var expected = call.Arguments.OptionalInt("expected_revision", 0, int.MaxValue);
                var result = workflow.WritePlan(context.Role, id, text, expected);
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
                "Answer a blocker; the approved plan text stays as it is.",
                [Actor.Planner],
                ReadOnly: false,
                Destructive: false,
                $$$"""{"type":"object","properties":{"plan_id":{{{Schemas.PlanId}}},"blocker_id":{"type":"integer"},"answer":{"type":"string"}},"required":["plan_id","blocker_id","answer"]}""",
                Schemas.PlanState),
            call =>
            {
                var id = call.Arguments.RequiredString("plan_id", 100);
                var blockerId = call.Arguments.RequiredInt("blocker_id", 1, 100_000);
                var answer = call.Arguments.RequiredString("answer", 20_000);
                workflow.AnswerBlocker(context.Role, id, blockerId, answer);
                var plan = workflow.ReadPlan(id);
                return State(plan, $"Blocker {blockerId} answered.");
            });

        yield return context.Create(
            new ToolSpec(
                "review_implementation",
                "Review implementation",
                "Review evidence: per-step commits and diffs, drift, outside commits, verification, acceptance.",
                [Actor.Planner],
                ReadOnly: true,
                Destructive: false,
                $$$"""{"type":"object","properties":{"plan_id":{{{Schemas.PlanId}}},"commit":{"type":"string","description":"Page one commit's diff"},"diff_offset":{"type":"integer"},"max_diff_bytes":{"type":"integer"}},"required":["plan_id"]}""",
                """{"type":"object","properties":{"id":{"type":"string"},"steps":{"type":"array"}},"required":["id","steps"]}"""),
            call => PlanJson.Evidence(workflow.ReviewImplementation(
                call.Arguments.RequiredString("plan_id", 100),
                call.Arguments.OptionalString("commit", 64),
                call.Arguments.OptionalInt("diff_offset", 0, int.MaxValue) ?? 0,
                call.Arguments.OptionalInt("max_diff_bytes", 1_000, 1_000_000) ?? 20_000)));

        yield return context.Create(
            new ToolSpec(
                "submit_review",
                "Submit review",
                "Score 0-100, answer each C1../S1.. with evidence (test, command, commit, file:line), add findings.",
                [Actor.Planner],
                ReadOnly: false,
                Destructive: false,
                ReviewInputSchema(workflow),
                """{"type":"object","properties":{"id":{"type":"string"},"weighted_total":{"type":"number"},"verdict":{"type":"string"},"status":{"type":"string"}},"required":["id","weighted_total","verdict","status"]}"""),
            call =>
            {
                var id = call.Arguments.RequiredString("plan_id", 100);
                var submission = new ReviewSubmission(
                    ReadScores(call.Arguments.RequiredElement("scores", JsonValueKind.Object, "an object of category: score")),
                    ReadFindings(call.Arguments.OptionalElement("findings", JsonValueKind.Array, "an array of findings")),
                    call.Arguments.RequiredString("summary", 20_000))
                {
                    Answers = ReadAnswers(call.Arguments.OptionalElement("criteria", JsonValueKind.Array, "an array of {item, met, evidence}")),
                };
                var (review, outcome) = workflow.SubmitReview(context.Role, id, submission);
                var plan = workflow.ReadPlan(id);
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

    private static string ReviewInputSchema(PlanWorkflow workflow)
    {
        var scores = new JsonObject();
        foreach (var category in workflow.Config.Rubric)
        {
            scores[category.Name] = new JsonObject { ["type"] = "integer" };
        }

        var schema = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["plan_id"] = JsonNode.Parse(Schemas.PlanId),
                ["scores"] = new JsonObject
                {
                    ["type"] = "object",
                    ["description"] = "0-100 per category",
                    ["properties"] = scores,
                    ["required"] = new JsonArray([.. workflow.Config.Rubric.Select(category => (JsonNode)category.Name)]),
                },
                ["findings"] = JsonNode.Parse("""{"type":"array","items":{"type":"object","properties":{"severity":{"enum":["critical","major","minor"]},"location":{"type":"string"},"message":{"type":"string"}},"required":["severity","location","message"]}}"""),
                ["summary"] = new JsonObject { ["type"] = "string" },
                ["criteria"] = JsonNode.Parse("""{"type":"array","items":{"type":"object","properties":{"item":{"type":"string"},"met":{"type":"boolean"},"evidence":{"type":"string"}},"required":["item","met","evidence"]}}"""),
            },
            ["required"] = new JsonArray("plan_id", "scores", "summary", "criteria"),
        };
        return schema.ToJsonString();
    }

    private static Dictionary<string, int> ReadScores(JsonElement scores)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var property in scores.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out var score))
            {
                throw new PlanRefusedException("invalid_argument", $"scores.{property.Name} must be an integer 0-100.");
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

        if (array.GetArrayLength() > 200)
        {
            throw new PlanRefusedException("invalid_argument", "At most 200 findings per review; group related ones.");
        }

        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new PlanRefusedException("invalid_argument", "Each finding must be an object {severity, location, message}.");
            }

            var severity = Text(item, "severity", 20).ToLowerInvariant() switch
            {
                "critical" => FindingSeverity.Critical,
                "major" => FindingSeverity.Major,
                "minor" => FindingSeverity.Minor,
                var other => throw new PlanRefusedException("invalid_argument", $"Finding severity '{other}' is not one of critical, major, minor."),
            };
            result.Add(new FindingInput(severity, Text(item, "location", 500), Text(item, "message", 5_000)));
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

        if (array.GetArrayLength() > 500)
        {
            throw new PlanRefusedException("invalid_argument", "At most 500 criteria answers per review.");
        }

        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("met", out var met) || met.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw new PlanRefusedException("invalid_argument", "Each criteria answer must be an object {item: \"C1\", met: true|false, evidence: \"...\"}.");
            }

            result.Add(new ChecklistAnswer(Text(item, "item", 20, "criteria answer"), string.Empty, met.GetBoolean(), Text(item, "evidence", ReviewChecklist.MaxEvidenceLength, "criteria answer")));
        }

        return result;
    }

    private static string Text(JsonElement item, string name, int maxLength, string what = "finding") =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text && text.Length <= maxLength
            ? text
            : throw new PlanRefusedException("invalid_argument", $"Each {what} needs '{name}' as a non-empty string of at most {maxLength} characters.");
}
