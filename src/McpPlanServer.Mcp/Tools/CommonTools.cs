using System.Text.Json.Nodes;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Mcp.Tools;

/// <summary>Read-only tools every role has.</summary>
public static class CommonTools
{
    private static readonly ChoiceParameter State = new("state", [.. new[] { PlanFolder.Review, PlanFolder.Active, PlanFolder.Completed }.Select(folder => folder.ToWireName())]);

    private static readonly IntegerParameter Offset = new("offset", 0, int.MaxValue, "From next_offset") { Default = 0 };

    private static readonly IntegerParameter Limit = new("limit", 1, PlanLimits.MaxListLimit) { Default = PlanLimits.DefaultListLimit };

    public static IEnumerable<PlanTool> Create(ToolContext context)
    {
        yield return context.Create(
            new ToolSpec(
                "list_plans",
                "List plans",
                "Plans: state, progress, next action (paged).",
                [Actor.Planner, Actor.Implementer, Actor.Observer],
                ReadOnly: true,
                Destructive: false,
                [State, Offset, Limit],
                """{"type":"object","properties":{"plans":{"type":"array","items":{"type":"object"}},"total":{"type":"integer"}},"required":["plans","total"]}"""),
            call =>
            {
                PlanFolder? folder = call.Arguments.OptionalChoice(State) is { } state && WireNames.TryParseFolder(state, out var parsed) ? parsed : null;
                var page = context.Workflow.ListPlans(folder, call.Arguments.Integer(Offset), call.Arguments.Integer(Limit));
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
                "One plan: text, steps, approval, reviews, findings, blockers.",
                [Actor.Planner, Actor.Implementer, Actor.Observer],
                ReadOnly: true,
                Destructive: false,
                ToolParameters.PlanIdOnly,
                Schemas.PlanState),
            call =>
            {
                var plan = context.Workflow.ReadPlan(call.Arguments.Text(ToolParameters.PlanId));
                var result = RemoteStatus.With(PlanJson.Plan(plan), context.Workflow, plan);
                result["acceptance"] = AcceptanceJson.Section(plan, context.Workflow);
                return result;
            });
    }
}
