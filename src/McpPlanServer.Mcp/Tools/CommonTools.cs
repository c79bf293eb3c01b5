using System.Text.Json.Nodes;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Mcp.Tools;

/// <summary>Read-only tools every role has.</summary>
public static class CommonTools
{
    public static IEnumerable<PlanTool> Create(ToolContext context)
    {
        yield return context.Create(
            new ToolSpec(
                "list_plans",
                "List plans",
                "List plans with state, progress and next action (paged: offset, limit).",
                [Actor.Planner, Actor.Implementer, Actor.Observer],
                ReadOnly: true,
                Destructive: false,
                """{"type":"object","properties":{"state":{"type":"string","enum":["review","active","completed"]},"offset":{"type":"integer"},"limit":{"type":"integer","description":"Default 100, max 1000"}}}""",
                """{"type":"object","properties":{"plans":{"type":"array","items":{"type":"object"}},"total":{"type":"integer"}},"required":["plans","total"]}"""),
            call =>
            {
                PlanFolder? folder = null;
                if (call.Arguments.OptionalString("state", 20) is { } state)
                {
                    folder = WireNames.TryParseFolder(state, out var parsed)
                        ? parsed
                        : throw new PlanRefusedException("invalid_argument", $"'state' must be review, active or completed; got '{state}'.");
                }

                var offset = call.Arguments.OptionalInt("offset", 0, int.MaxValue) ?? 0;
                var limit = call.Arguments.OptionalInt("limit", 1, 1_000) ?? 100;
                var page = context.Workflow.ListPlans(folder, offset, limit);
                var result = new JsonObject
                {
                    ["plans"] = new JsonArray([.. page.Plans.Select(plan => (JsonNode)PlanJson.Summary(plan))]),
                    ["total"] = page.Total,
                    ["next_offset"] = page.NextOffset,
                };
                if (page.BadFiles.Count > 0)
                {
                    // Links and plans in two folders, whatever the page: the person repairs them (`mcpplan doctor`).
                    result["bad_files"] = new JsonArray([.. page.BadFiles.Select(file => (JsonNode)PlanJson.BadFile(file))]);
                }

                return result;
            });

        yield return context.Create(
            new ToolSpec(
                "read_plan",
                "Read plan",
                "Read one plan: text, steps with progress, approval, reviews, open findings, blockers.",
                [Actor.Planner, Actor.Implementer, Actor.Observer],
                ReadOnly: true,
                Destructive: false,
                Schemas.PlanIdOnly,
                Schemas.PlanState),
            call =>
            {
                var plan = context.Workflow.ReadPlan(call.Arguments.RequiredString("plan_id", 100));
                return RemoteStatus.With(PlanJson.Plan(plan), context.Workflow, plan);
            });
    }
}
